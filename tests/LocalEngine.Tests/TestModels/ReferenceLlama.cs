namespace Agents.LocalEngine.Tests.TestModels;

/// <summary>Independent plain-C# forward pass of <see cref="TinyLlamaWeights"/> (no ONNX): logits for every position.</summary>
public static class ReferenceLlama
{
    public static float[][] Forward(TinyLlamaWeights w, IReadOnlyList<int> tokens)
    {
        var s = w.Spec;
        int n = tokens.Count, hs = s.Hidden, d = s.HeadDim, nh = s.Heads, kvh = s.KvHeads;
        var h = new double[n][];
        for (var t = 0; t < n; t++)
        {
            h[t] = new double[hs];
            for (var i = 0; i < hs; i++)
            {
                h[t][i] = w.Embed[(tokens[t] * hs) + i];
            }
        }

        foreach (var lw in w.Layers)
        {
            var q = new double[n][];
            var k = new double[n][];
            var v = new double[n][];
            for (var t = 0; t < n; t++)
            {
                var xn = RmsNorm(h[t], lw.InputNorm, s.RmsEps);
                q[t] = Rope(MatVec(xn, lw.Wq, nh * d), t, nh, d, s.RopeTheta);
                k[t] = Rope(MatVec(xn, lw.Wk, kvh * d), t, kvh, d, s.RopeTheta);
                v[t] = MatVec(xn, lw.Wv, kvh * d);
            }

            for (var t = 0; t < n; t++)
            {
                var att = new double[nh * d];
                for (var head = 0; head < nh; head++)
                {
                    var kv = head / (nh / kvh);
                    var scores = new double[t + 1];
                    var max = double.NegativeInfinity;
                    for (var j = 0; j <= t; j++)
                    {
                        double dot = 0;
                        for (var i = 0; i < d; i++)
                        {
                            dot += q[t][(head * d) + i] * k[j][(kv * d) + i];
                        }

                        scores[j] = dot / Math.Sqrt(d);
                        max = Math.Max(max, scores[j]);
                    }

                    double sum = 0;
                    for (var j = 0; j <= t; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        sum += scores[j];
                    }

                    for (var j = 0; j <= t; j++)
                    {
                        for (var i = 0; i < d; i++)
                        {
                            att[(head * d) + i] += scores[j] / sum * v[j][(kv * d) + i];
                        }
                    }
                }

                var o = MatVec(att, lw.Wo, hs);
                for (var i = 0; i < hs; i++)
                {
                    h[t][i] += o[i];
                }

                var xn2 = RmsNorm(h[t], lw.PostNorm, s.RmsEps);
                var gate = MatVec(xn2, lw.Wgate, s.Intermediate);
                var up = MatVec(xn2, lw.Wup, s.Intermediate);
                for (var i = 0; i < gate.Length; i++)
                {
                    gate[i] = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
                }

                var down = MatVec(gate, lw.Wdown, hs);
                for (var i = 0; i < hs; i++)
                {
                    h[t][i] += down[i];
                }
            }
        }

        var logits = new float[n][];
        for (var t = 0; t < n; t++)
        {
            var l = MatVec(RmsNorm(h[t], w.FinalNorm, s.RmsEps), w.LmHead, s.VocabSize);
            logits[t] = Array.ConvertAll(l, x => (float)x);
        }

        return logits;
    }

    private static double[] RmsNorm(double[] x, float[] weight, float eps)
    {
        double ms = 0;
        foreach (var e in x)
        {
            ms += e * e;
        }

        var inv = 1.0 / Math.Sqrt((ms / x.Length) + eps);
        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = x[i] * inv * weight[i];
        }

        return y;
    }

    private static double[] MatVec(double[] x, float[] m, int cols)
    {
        var y = new double[cols];
        for (var r = 0; r < x.Length; r++)
        {
            var xr = x[r];
            for (var c = 0; c < cols; c++)
            {
                y[c] += xr * m[(r * cols) + c];
            }
        }

        return y;
    }

    private static double[] Rope(double[] x, int pos, int heads, int d, float theta)
    {
        var y = new double[x.Length];
        var half = d / 2;
        for (var head = 0; head < heads; head++)
        {
            for (var i = 0; i < half; i++)
            {
                var freq = pos / Math.Pow(theta, 2.0 * i / d);
                double c = Math.Cos(freq), sn = Math.Sin(freq);
                var a = x[(head * d) + i];
                var b = x[(head * d) + half + i];
                y[(head * d) + i] = (a * c) - (b * sn);
                y[(head * d) + half + i] = (b * c) + (a * sn);
            }
        }

        return y;
    }
}
