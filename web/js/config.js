// The RTCConfiguration comes from the server (GET /signaling/config) so STUN/TURN credentials are
// not baked into the page; it is fetched for each call, as TURN credentials expire. Without that
// endpoint the page uses no ICE servers, which still works on one network (host candidates only).

const CONFIG_URL = '/signaling/config';
const CONFIG_TIMEOUT_MS = 5000;

function isIceServer(entry) {
  if (!entry || typeof entry !== 'object') return false;
  const urls = entry.urls;
  return typeof urls === 'string' || (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'));
}

/** @returns {Promise<RTCConfiguration>} iceServers, and iceTransportPolicy when the server sets one */
export async function loadRtcConfiguration() {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), CONFIG_TIMEOUT_MS);
  try {
    const response = await fetch(CONFIG_URL, { signal: abort.signal, cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) return { iceServers: [] };
    const body = await response.json();
    const iceServers = Array.isArray(body?.iceServers) ? body.iceServers.filter(isIceServer) : [];
    return body?.iceTransportPolicy === 'relay' ? { iceServers, iceTransportPolicy: 'relay' } : { iceServers };
  } catch (error) {
    console.warn('No ICE configuration from the server; using none.', error);
    return { iceServers: [] };
  } finally {
    clearTimeout(timer);
  }
}
