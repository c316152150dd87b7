// AudioWorklet: microphone frames → 16 kHz mono float chunks (about 20 ms each) for the page to send.
class Capture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / 16000;
    this.pos = 0;
    this.out = [];
    this.last = 0;
  }
  process(inputs) {
    const input = inputs[0][0];
    if (!input) return true;
    // linear interpolation down to 16 kHz (the browser's input is 44.1 or 48 kHz)
    while (this.pos < input.length - 1) {
      const i = Math.floor(this.pos), f = this.pos - i;
      const a = i < 0 ? this.last : input[i];  // the position may fall between two blocks
      this.out.push(a * (1 - f) + input[i + 1] * f);
      this.pos += this.step;
    }
    this.pos -= input.length;
    this.last = input[input.length - 1];
    if (this.out.length >= 320) {
      this.port.postMessage(Float32Array.from(this.out));
      this.out = [];
    }
    return true;
  }
}
registerProcessor("capture", Capture);
