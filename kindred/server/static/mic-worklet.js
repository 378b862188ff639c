// Microphone → 16 kHz mono int16 PCM in 100 ms frames, posted to the page with their loudness (RMS).
class Mic16k extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / 16000;
    this.pos = 0; this.acc = 0; this.count = 0;
    this.frame = new Int16Array(1600); this.n = 0; this.energy = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i += 1) {
      this.acc += channel[i]; this.count += 1; this.pos += 1;
      if (this.pos < this.ratio) continue;
      this.pos -= this.ratio;
      const s = Math.max(-1, Math.min(1, this.acc / this.count));
      this.acc = 0; this.count = 0;
      this.frame[this.n] = s * 32767; this.energy += s * s; this.n += 1;
      if (this.n === this.frame.length) {
        const level = Math.sqrt(this.energy / this.n);
        this.port.postMessage({ pcm: this.frame.buffer, level }, [this.frame.buffer]);
        this.frame = new Int16Array(1600); this.n = 0; this.energy = 0;
      }
    }
    return true;
  }
}
registerProcessor("mic-16k", Mic16k);
