// The page's configuration comes from the server (GET signaling/config, next to the page): the
// RTCConfiguration (ICE servers and transport policy), so STUN/TURN credentials are not baked
// into the page, and where Engine.IO is (`engineIoPath`, relative to the page, e.g. "socket.io/").
// Without that endpoint (another server serving this page) the page uses no ICE servers, which
// still works on one network, and the usual socket.io/ next to the page.

const CONFIG_URL = 'signaling/config';
const CONFIG_TIMEOUT_MS = 5000;
const DEFAULT_ENGINE_PATH = 'socket.io/';

function isIceServer(entry) {
  if (!entry || typeof entry !== 'object') return false;
  const urls = entry.urls;
  return typeof urls === 'string' || (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'));
}

async function fetchConfig() {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), CONFIG_TIMEOUT_MS);
  try {
    const response = await fetch(CONFIG_URL, { signal: abort.signal, cache: 'no-store', headers: { Accept: 'application/json' } });
    return response.ok ? await response.json() : {};
  } catch (error) {
    console.warn('No configuration from the server; using the defaults.', error);
    return {};
  } finally {
    clearTimeout(timer);
  }
}

/** @returns {RTCConfiguration} iceServers, and iceTransportPolicy when the server sets one */
function rtcConfigurationOf(body) {
  const iceServers = Array.isArray(body?.iceServers) ? body.iceServers.filter(isIceServer) : [];
  return body?.iceTransportPolicy === 'relay' ? { iceServers, iceTransportPolicy: 'relay' } : { iceServers };
}

/** A fresh RTCConfiguration: TURN credentials handed out by the server expire. */
export async function loadRtcConfiguration() {
  return rtcConfigurationOf(await fetchConfig());
}

/** @returns {Promise<{rtcConfiguration: RTCConfiguration, engineUrl: URL}>} engineUrl ends in a slash */
export async function loadConfig() {
  const body = await fetchConfig();
  let path = typeof body?.engineIoPath === 'string' && body.engineIoPath ? body.engineIoPath : DEFAULT_ENGINE_PATH;
  if (!path.endsWith('/')) path += '/';
  // Same origin only: the page's own server is the signaling server.
  let engineUrl = new URL(path, document.baseURI);
  if (engineUrl.origin !== location.origin) engineUrl = new URL(DEFAULT_ENGINE_PATH, document.baseURI);
  return { rtcConfiguration: rtcConfigurationOf(body), engineUrl };
}
