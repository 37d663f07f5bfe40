// One RTCPeerConnection to one peer. The callee makes the offer (as in the article: it learns
// that the caller's camera is ready from `stream ok`), the caller answers. Candidates that
// arrive before the remote description is set are held back and added afterwards.
// A data channel of the page's own (pre-negotiated, so both sides open it without a round of
// signaling) carries what the peers say to each other once connected: mute and camera state,
// and a hang-up that still arrives when the signaling server is away. A peer that does not open
// it (another page) just never hears these; nothing else depends on it.

const RESTART_AFTER_MS = 3000; // a "disconnected" that lasts this long gets an ICE restart

function plainDescription(description) {
  return { type: description.type, sdp: description.sdp };
}

export class PeerCall {
  /**
   * @param {object} options
   * @param {RTCConfiguration} options.rtcConfiguration  ICE servers and transport policy
   * @param {MediaStream} options.localStream
   * @param {number} options.connectTimeoutMs  how long ICE may take before the call counts as failed
   * @param {number} options.recoverTimeoutMs  how long an interrupted call may take to come back
   * @param {boolean} options.offerer  this side makes the offers (first and renegotiations)
   * @param {(event: string, payload: object) => void} options.signal  sends offer/answer/candidate to the peer
   * @param {(stream: MediaStream) => void} options.onRemoteStream
   * @param {() => void} options.onConnected
   * @param {(interrupted: boolean) => void} options.onInterrupted
   * @param {(reason: 'ice-failed' | 'timeout') => void} options.onFailed
   * @param {(message: object) => void} options.onControl  a message from the peer's data channel
   * @param {() => void} options.onControlOpen
   */
  constructor(options) {
    this.options = options;
    this.pendingCandidates = [];
    this.connected = false;
    this.interrupted = false;
    this.closed = false;
    this.remoteStream = null;

    const pc = new RTCPeerConnection(options.rtcConfiguration);
    this.pc = pc;
    for (const track of options.localStream.getTracks()) pc.addTrack(track, options.localStream);
    this.control = pc.createDataChannel('control', { negotiated: true, id: 0 });
    this.control.onopen = () => options.onControlOpen?.();
    this.control.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message && typeof message === 'object' && typeof message.type === 'string') options.onControl?.(message);
    };

    pc.onicecandidate = (event) => {
      // A null candidate only marks the end of gathering; the peer does not need it.
      if (event.candidate) options.signal('candidate', event.candidate.toJSON());
    };
    pc.ontrack = (event) => {
      let stream = event.streams[0];
      if (!stream) {
        this.remoteStream ??= new MediaStream();
        this.remoteStream.addTrack(event.track);
        stream = this.remoteStream;
      }
      options.onRemoteStream(stream);
    };
    // connectionState covers DTLS too; older engines only report the ICE state.
    if ('connectionState' in pc) {
      pc.onconnectionstatechange = () => this.onState(pc.connectionState);
    } else {
      pc.oniceconnectionstatechange = () => this.onState(pc.iceConnectionState);
    }
    // Renegotiation once the call is set up (an ICE restart): the offerer offers again. The
    // first offer is made explicitly, when both cameras are on.
    pc.onnegotiationneeded = () => {
      // Before the first connection it is only the echo of the tracks added for the first offer.
      if (!options.offerer || !this.connected || this.closed || pc.signalingState !== 'stable') return;
      this.createOffer().catch((error) => console.warn('Renegotiation failed', error));
    };
    this.timer = setTimeout(() => {
      if (!this.connected) this.fail('timeout');
    }, options.connectTimeoutMs);
  }

  /** Whether media flows now (connected, and not interrupted since). */
  get isUp() {
    return this.connected && !this.interrupted;
  }

  onState(state) {
    if (this.closed) return;
    if (state === 'connected' || state === 'completed') {
      const wasInterrupted = this.interrupted;
      this.connected = true;
      this.interrupted = false;
      clearTimeout(this.timer);
      clearTimeout(this.restartTimer);
      if (wasInterrupted) this.options.onInterrupted(false);
      else if (!this.announced) {
        this.announced = true;
        this.options.onConnected();
      }
    } else if ((state === 'disconnected' || state === 'failed') && this.connected) {
      // The network changed under a call that was up (Wi-Fi to mobile data, a server restart
      // does not do this: media is peer to peer). An ICE restart finds a new path; it has until
      // the deadline, then the call counts as failed.
      if (!this.interrupted) {
        this.interrupted = true;
        this.timer = setTimeout(() => this.fail('ice-failed'), this.options.recoverTimeoutMs);
        this.options.onInterrupted(true);
      }
      clearTimeout(this.restartTimer);
      this.restartTimer = setTimeout(() => this.restartIce(), state === 'failed' ? 0 : RESTART_AFTER_MS);
    } else if (state === 'failed') {
      this.fail('ice-failed');
    }
  }

  /**
   * The offerer (the callee, as in the article) restarts ICE with a new offer; the answerer
   * waits for it. Also called once the signaling connection is back, as the offer may have been
   * lost while it was away.
   */
  restartIce() {
    if (this.closed || !this.options.offerer || !this.isInterrupted) return;
    if (this.pc.restartIce) this.pc.restartIce(); // fires negotiationneeded: offers from there
    else this.createOffer({ iceRestart: true }).catch((error) => console.warn('ICE restart failed', error));
  }

  get isInterrupted() {
    return this.connected && this.interrupted;
  }

  fail(reason) {
    if (this.closed) return;
    this.close();
    this.options.onFailed(reason);
  }

  async createOffer(offerOptions) {
    const offer = await this.pc.createOffer(offerOptions);
    await this.pc.setLocalDescription(offer);
    this.options.signal('offer', plainDescription(this.pc.localDescription));
  }

  async acceptOffer(description) {
    await this.pc.setRemoteDescription(description);
    await this.flushCandidates();
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    this.options.signal('answer', plainDescription(this.pc.localDescription));
  }

  async acceptAnswer(description) {
    await this.pc.setRemoteDescription(description);
    await this.flushCandidates();
  }

  async addRemoteCandidate(candidate) {
    if (this.closed || !candidate) return;
    if (!this.pc.remoteDescription) {
      this.pendingCandidates.push(candidate);
      return;
    }
    await this.addCandidate(candidate);
  }

  async flushCandidates() {
    const pending = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of pending) await this.addCandidate(candidate);
  }

  async addCandidate(candidate) {
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (error) {
      // One unusable candidate (another address family, a stale one) must not end the call.
      console.warn('Ignoring an ICE candidate the browser rejected.', error);
    }
  }

  /** Sends to the peer's page over the data channel; false when it is not open. */
  sendControl(message) {
    if (this.closed || this.control.readyState !== 'open') return false;
    this.control.send(JSON.stringify(message));
    return true;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.control.onopen = this.control.onmessage = null;
    clearTimeout(this.restartTimer);
    this.pc.onicecandidate = this.pc.ontrack = this.pc.onconnectionstatechange = this.pc.oniceconnectionstatechange = null;
    this.pc.onnegotiationneeded = null;
    this.pc.close();
  }
}
