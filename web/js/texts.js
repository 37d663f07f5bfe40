// The longer sentences the page shows, kept apart from the logic that picks them.

export function hangupMessage(name, reason) {
  switch (reason) {
    case 'declined': return `${name} declined the call.`;
    case 'cancelled': return `${name} cancelled the call.`;
    case 'busy': return `${name} is busy in another call.`;
    case 'media': return `${name}'s camera could not start, so the call was cancelled.`;
    case 'no-answer': return `${name} did not answer in time.`;
    case 'failed': return `The call with ${name} could not connect.`;
    case 'left': return `${name} left, so the call ended.`;
    default: return `${name} hung up.`;
  }
}

// Browsers give the camera only to secure pages: https://, or http:// on localhost. Opened as
// http://192.168.1.20:3000 from a phone, the page would fail at the first call; say it up front.
export function insecureContextHint(location) {
  const port = location.port ? `:${location.port}` : '';
  return `This page was opened over plain HTTP (${location.host}), so the browser will not let it use `
    + 'the camera or microphone and calls cannot start. Open it over HTTPS (put the server behind a '
    + `TLS reverse proxy, see the README), or open http://localhost${port}${location.pathname} on the `
    + 'computer that runs the server.';
}
