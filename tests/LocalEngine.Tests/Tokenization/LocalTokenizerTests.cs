using System.Text;
using Agents.LocalEngine.Tokenization;

namespace Agents.LocalEngine.Tests.Tokenization;

[Collection(ModelCollection.Name)]
public sealed class LocalTokenizerTests(ModelFixture models)
{
    [Theory]
    [InlineData("Hello world! The weather in Paris is sunny.")]
    [InlineData("café naïve € ☃ 日本語 and emoji 🦊")]
    [InlineData("  spaces\tand\nnew lines  ")]
    public void Encode_then_decode_round_trips(string text)
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var ids = engine.Tokenize(text);
        Assert.NotEmpty(ids);
        Assert.Equal(text, engine.Detokenize(ids));
    }

    [Fact]
    public void Merges_are_applied_so_common_words_take_fewer_tokens_than_bytes()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var text = "The weather in Paris is sunny";
        Assert.True(engine.Tokenize(text).Count < Encoding.UTF8.GetByteCount(text) / 2);
    }

    [Fact]
    public void Special_tokens_written_as_text_become_single_ids()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var ids = engine.Tokenize("<|im_start|>user\nhi<|im_end|>");
        Assert.Equal(models.Qwen.Vocab["<|im_start|>"], ids[0]);
        Assert.Equal(models.Qwen.Vocab["<|im_end|>"], ids[^1]);

        // Special tokens are left out of decoded text; <tool_call> is an added but non-special token and stays.
        Assert.Equal("user\nhi", engine.Detokenize(ids));
        Assert.Equal("<tool_call>", engine.Detokenize(engine.Tokenize("<tool_call>")));
    }

    [Fact]
    public void Bos_is_added_when_the_tokenizer_config_asks_for_it()
    {
        using var llama = new LocalOnnxEngine(models.GenAi.Directory);
        using var qwen = new LocalOnnxEngine(models.Qwen.Directory);
        Assert.Equal(models.GenAi.Vocab["<|begin_of_text|>"], llama.Tokenize("hi")[0]);
        Assert.NotEqual(models.GenAi.Vocab["<|begin_of_text|>"], llama.Tokenize("hi", addBos: false)[0]);
        Assert.Equal(qwen.Tokenize("hi", addBos: false), qwen.Tokenize("hi"));
    }

    [Fact]
    public void End_of_sequence_ids_come_from_the_config_files_and_the_chat_format()
    {
        using var qwen = new LocalOnnxEngine(models.Qwen.Directory);
        Assert.Contains(models.Qwen.Vocab["<|im_end|>"], qwen.EndOfSequenceTokenIds);
        Assert.Contains(models.Qwen.Vocab["<|endoftext|>"], qwen.EndOfSequenceTokenIds);
        using var llama = new LocalOnnxEngine(models.GenAi.Directory);
        Assert.Contains(models.GenAi.Vocab["<|eot_id|>"], llama.EndOfSequenceTokenIds);
    }

    [Fact]
    public void Streaming_detokenizer_never_splits_a_utf8_character()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var tokenizer = LocalTokenizer.Load(engine.Descriptor);

        // Byte tokens of a 4-byte emoji, a 3-byte CJK character and a 2-byte accent, fed one byte-token at a time.
        var text = "🦊日é!";
        var map = TestTokenizerWriter.ByteToChar();
        var ids = Encoding.UTF8.GetBytes(text).Select(b => models.Qwen.Vocab[map[b].ToString()]).ToList();
        var detok = new StreamingDetokenizer(tokenizer);
        var pieces = ids.Select(detok.Append).ToList();
        Assert.All(pieces, p => Assert.DoesNotContain('\uFFFD', p));
        Assert.Equal(["", "", "", "🦊", "", "", "日", "", "é", "!"], pieces);
        Assert.Equal(string.Empty, detok.Flush());
    }

    [Fact]
    public void An_unfinished_character_is_flushed_as_a_replacement_character()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var detok = new StreamingDetokenizer(LocalTokenizer.Load(engine.Descriptor));
        var map = TestTokenizerWriter.ByteToChar();
        Assert.Equal(string.Empty, detok.Append(models.Qwen.Vocab[map[0xE6].ToString()]));
        Assert.Equal("\uFFFD", detok.Flush());
    }
}
