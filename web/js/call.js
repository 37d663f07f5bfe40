// One RTCPeerConnection to one peer. The callee makes the offer (as in the article: it learns
// that the caller's camera is ready from `stream ok`), the caller answers. Candidates that
// arrive before the remote description is set are held back and added afterwards.

function plainDescription(description) {
  return { type: description.type, sdp: description.sdp };
}

export class PeerCall {
  /**
   * @param {object} options
   * @param {RTCConfiguration} options.rtcConfiguration  ICE servers and transport policy
   * @param {MediaStream} options.localStream
   * @param {number} options.connectTimeoutMs  how long ICE may take before the call counts as failed
   * @param {(event: string, payload: object) => void} options.signal  sends offer/answer/candidate to the peer
   * @param {(stream: MediaStream) => void} options.onRemoteStream
   * @param {() => void} options.onConnected
   * @param {(interrupted: boolean) => void} options.onInterrupted
   * @param {(reason: 'ice-failed' | 'timeout') => void} options.onFailed
   */
  constructor(options) {
    this.options = options;
    this.pendingCandidates = [];
    this.connected = false;
    this.closed = false;
    this.remoteStream = null;

    const pc = new RTCPeerConnection(options.rtcConfiguration);
    this.pc = pc;
    for (const track of options.localStream.getTracks()) pc.addTrack(track, options.localStream);

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
    this.timer = setTimeout(() => {
      if (!this.connected) this.fail('timeout');
    }, options.connectTimeoutMs);
  }

  onState(state) {
    if (this.closed) return;
    if (state === 'connected' || state === 'completed') {
      const wasInterrupted = this.connected;
      this.connected = true;
      clearTimeout(this.timer);
      if (wasInterrupted) this.options.onInterrupted(false);
      else this.options.onConnected();
    } else if (state === 'disconnected' && this.connected) {
      this.options.onInterrupted(true);
    } else if (state === 'failed') {
      this.fail('ice-failed');
    }
  }

  fail(reason) {
    if (this.closed) return;
    this.close();
    this.options.onFailed(reason);
  }

  async createOffer() {
    const offer = await this.pc.createOffer();
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

  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.pc.onicecandidate = this.pc.ontrack = this.pc.onconnectionstatechange = this.pc.oniceconnectionstatechange = null;
    this.pc.close();
  }
}
