// Writes the Llama-style (SentencePiece BPE, byte fallback) tokenizer.json fixtures in this folder and expected.json,
// the ids and decoded texts that transformers.js (an independent JavaScript implementation of Hugging Face
// `tokenizers`) produces for them. The xunit tests in ../SentencePieceTokenizerTests.cs must reproduce expected.json.
//
// Run with node (20+) from a folder where @huggingface/transformers is installed, for example:
//   mkdir -p /tmp/tjs && cd /tmp/tjs && ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers
//   node /path/to/repo/tests/LocalEngine.Tests/Tokenization/Fixtures/generate-expected.mjs
// The package is resolved from the current directory; nothing is fetched from the network (env.allowRemoteModels = false).
//
// The four files share one vocabulary and differ only in how spaces become "▁" (U+2581), in the forms Hugging Face writes:
//   llama-legacy.json      normalizer Sequence[Prepend("▁"), Replace(" " → "▁")], no pre-tokenizer, decoder Sequence[Replace, ByteFallback, Fuse, Strip]
//   metaspace-first.json   pre_tokenizer Metaspace(prepend_scheme "first", split false), decoder Sequence[Replace, ByteFallback, Fuse, Strip]
//   metaspace-always.json  pre_tokenizer Metaspace(prepend_scheme "always", split true), decoder Metaspace
//   gemma.json             normalizer Replace(" " → "▁") only (no dummy prefix), decoder Sequence[Replace, ByteFallback, Fuse]
//
// Where transformers.js (tokenizers-js 0.2) departs from Hugging Face `tokenizers`, the C# tokenizer follows `tokenizers`
// and these fixtures avoid the difference (SentencePieceTokenizerTests covers those cases on its own):
//   - Metaspace "split": transformers.js ignores it; no fixture merge crosses a "▁", so split and no split agree here.
//   - fuse_unk: transformers.js never fuses unknown tokens; every fixture has byte_fallback, so no <unk> is produced.
//   - byte fallback: transformers.js falls back after merging, tokenizers before; the same unless a merge involves <0xXX>.
//   - Metaspace decoder: tokenizers drops every "▁" of the first token, transformers.js (and the C# side) one leading
//     space; the same unless the first token holds several "▁" (none in this vocabulary does).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(process.cwd(), 'noop.js'));
const transformers = await import(pathToFileURL(require.resolve('@huggingface/transformers')).href);
const { PreTrainedTokenizer, env } = transformers.default ?? transformers;
env.allowRemoteModels = false;

const SP = '\u2581';

// ---- Vocabulary: <unk> <s> </s>, the 256 byte pieces, merged pieces (best first), single characters, added tokens. ----
const corpus = [
  'hello', 'world', 'the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'hello', 'there', 'this', 'is', 'a',
  'test', 'of', 'the', 'tokenizer', 'and', 'it', 'works', 'line', 'one', 'two', 'tabbed', 'text', 'space', 'spaces',
  'here', 'leading', 'trailing', 'multiple', 'digits', 'emoji', 'already', 'has', 'metaspace', 'the', 'the', 'hello',
  'world', 'in', 'on', 'to', 'say', 'hi', 'Hello', 'World', 'Is', 'The', 'cat', 'sat', 'mat',
];
const alphabet = [SP, ...'abcdefghijklmnopqrstuvwxyz', ...'ABCDEHILMOTW', ...'0123456789', ...".,!?'-:"];

function trainMerges(words, count) {
  const seqs = words.map((w) => [SP, ...w]);
  const pieces = [];
  while (pieces.length < count) {
    const counts = new Map();
    for (const s of seqs) {
      for (let i = 0; i + 1 < s.length; i++) {
        const key = s[i] + '\u0000' + s[i + 1];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    if (counts.size === 0) break;
    const [best] = [...counts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))[0];
    const [l, r] = best.split('\u0000');
    const merged = l + r;
    if (!pieces.includes(merged)) pieces.push(merged);
    for (const s of seqs) {
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === l && s[i + 1] === r) s.splice(i, 2, merged);
      }
    }
  }
  return pieces;
}

const merged = trainMerges(corpus, 160);
const vocab = {};
const pieces = []; // [piece, score] in id order, for the SentencePiece model the tests write
function add(piece, score) {
  if (piece in vocab) return;
  vocab[piece] = pieces.length;
  pieces.push([piece, score]);
}
add('<unk>', 0);
add('<s>', 0);
add('</s>', 0);
for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 0);
merged.forEach((p, i) => add(p, -i));
alphabet.forEach((c, i) => add(c, -(merged.length + i)));

// Merges as the transformers SentencePiece converter writes them: every split of a piece into two vocabulary pieces,
// ordered by the merged piece's score (best first), then by the ids of the two halves.
const merges = [];
for (const [piece, score] of pieces) {
  if (vocab[piece] < 259) continue;
  const chars = [...piece];
  const local = [];
  for (let k = 1; k < chars.length; k++) {
    const l = chars.slice(0, k).join('');
    const r = chars.slice(k).join('');
    if (l in vocab && r in vocab) local.push([l, r, score]);
  }
  local.sort((x, y) => vocab[x[0]] - vocab[y[0]] || vocab[x[1]] - vocab[y[1]]);
  merges.push(...local);
}
merges.sort((x, y) => y[2] - x[2]);

const specials = ['<|user|>', '<|assistant|>', '<|end|>'];
const addedTokens = [
  { id: 0, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
  { id: 1, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
  { id: 2, content: '</s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
  ...specials.map((content, i) => ({
    id: pieces.length + i, content, single_word: false, lstrip: false, rstrip: content === '<|assistant|>', normalized: false, special: true,
  })),
];

const replaceSpace = { type: 'Replace', pattern: { String: ' ' }, content: SP };
const decoderSequence = (strip) => ({
  type: 'Sequence',
  decoders: [
    { type: 'Replace', pattern: { String: SP }, content: ' ' },
    { type: 'ByteFallback' },
    { type: 'Fuse' },
    ...(strip ? [{ type: 'Strip', content: ' ', start: 1, stop: 0 }] : []),
  ],
});

function tokenizerJson(normalizer, preTokenizer, decoder, arrayMerges) {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer,
    pre_tokenizer: preTokenizer,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<s>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: merges.map(([l, r]) => (arrayMerges ? [l, r] : `${l} ${r}`)),
    },
  };
}

const forms = {
  'llama-legacy': tokenizerJson({ type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: SP }, replaceSpace] }, null, decoderSequence(true), false),
  'metaspace-first': tokenizerJson(null, { type: 'Metaspace', replacement: SP, prepend_scheme: 'first', split: false }, decoderSequence(true), true),
  'metaspace-always': tokenizerJson(null, { type: 'Metaspace', replacement: SP, prepend_scheme: 'always', split: true },
    { type: 'Metaspace', replacement: SP, prepend_scheme: 'always', split: true }, true),
  gemma: tokenizerJson(replaceSpace, null, decoderSequence(false), true),
};

const texts = [
  'Hello world',
  'the quick brown fox jumps over the lazy dog',
  ' leading space',
  'trailing space ',
  'multiple   spaces  here',
  '   ',
  'café naïve',
  '日本語 text',
  'emoji 🦊 fox',
  'digits 12345 and 2024',
  '<|user|>hello there<|end|>',
  'say hi <|assistant|>   the cat',
  'hello<|end|> world<s>the</s>',
  'line one\nline two\ttabbed\n',
  '',
  `already${SP}has${SP}metaspace`,
  'Hello, World! Is this a test?',
];

const config = { clean_up_tokenization_spaces: false, bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', add_bos_token: true };
const expected = { generator: 'transformers.js ' + (transformers.env?.version ?? env.version ?? ''), texts, forms: {} };
for (const [name, json] of Object.entries(forms)) {
  writeFileSync(join(here, `${name}.json`), JSON.stringify(json, null, 1) + '\n');
  const tokenizer = new PreTrainedTokenizer(structuredClone(json), config);
  expected.forms[name] = texts.map((text) => {
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    const decoded = ids.length === 0 ? '' : tokenizer.decode(ids, { skip_special_tokens: true });
    return { ids, decoded };
  });
}

writeFileSync(join(here, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
console.log(`wrote ${Object.keys(forms).length} tokenizers (${pieces.length + specials.length} tokens, ${merges.length} merges) and expected.json`);
