// transformers.js (CPU, onnxruntime-node) on the LocalEngine benchmark models: marginal decode cost per token,
// measured like CompareCommand: (cost of 144 new tokens - cost of 16) / 128, greedy, EOS suppressed, one intra-op thread.
// Run from a folder where `ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers` was done:
//   node bench.mjs MODELS_ROOT [runs]
import { env, AutoModelForCausalLM, Tensor } from '@huggingface/transformers';

const root = process.argv[2];
const runs = Number(process.argv[3] ?? 9);
env.allowRemoteModels = false;
env.localModelPath = root.endsWith('/') ? root : root + '/';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

for (const [name, vocab] of [['tiny', 512], ['small', 8192]]) {
  const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
  const ids = Array.from({ length: 16 }, (_, i) => (i * 37 % (vocab - 16)) + 1);
  const input_ids = new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
  const attention_mask = new Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, ids.length]);
  const run = async (n) => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    const out = await model.generate({ input_ids, attention_mask, max_new_tokens: n + 1, min_new_tokens: n + 1, do_sample: false });
    const wall = performance.now() - t;
    const c = process.cpuUsage(cpu);
    return { wall, cpu: (c.user + c.system) / 1000, tokens: out.dims[1] - ids.length };
  };
  await run(16);
  const wallPer = [], cpuPer = [];
  let produced = 0;
  for (let r = 0; r < runs; r++) {
    const a = await run(16);
    const b = await run(144);
    produced = b.tokens;
    wallPer.push((b.wall - a.wall) / 128);
    cpuPer.push((b.cpu - a.cpu) / 128);
  }
  console.log(`| ${name} | ${median(cpuPer).toFixed(4)} | ${median(wallPer).toFixed(4)} | ${produced} |`);
}
