// Opens the camera and microphone, falling back to whichever of the two exists, and turns the
// browser's error names into sentences a person can act on.

const DENIED = new Set(['NotAllowedError', 'PermissionDeniedError', 'SecurityError']);
const MISSING = new Set(['NotFoundError', 'DevicesNotFoundError', 'OverconstrainedError', 'ConstraintNotSatisfiedError']);
const BUSY = new Set(['NotReadableError', 'TrackStartError', 'AbortError']);

export class CameraError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'CameraError';
    this.kind = kind;
  }
}

function explain(error) {
  if (DENIED.has(error?.name)) {
    return new CameraError('denied', 'Camera and microphone access was denied. Allow it for this site in the browser settings, then try again.');
  }
  if (MISSING.has(error?.name)) {
    return new CameraError('missing', 'No camera or microphone was found. Connect one and try again.');
  }
  if (BUSY.has(error?.name)) {
    return new CameraError('busy', 'The camera or microphone could not start; another application may be using it.');
  }
  return new CameraError('other', `The camera could not start (${error?.message || error}).`);
}

export async function openCamera() {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError('unsupported', 'This browser cannot use a camera on this page. Open it over HTTPS or from localhost.');
  }
  // Try both first; if one kind of device is missing, a call with the other is still a call.
  const attempts = [{ video: true, audio: true }, { video: true }, { audio: true }];
  let lastError;
  for (const constraints of attempts) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch (error) {
      lastError = error;
      if (!MISSING.has(error?.name)) break;
    }
  }
  throw explain(lastError);
}
