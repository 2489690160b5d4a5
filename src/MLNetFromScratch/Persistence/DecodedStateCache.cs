using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Decodes a state text once per loaded model and hands the decoded object to every row after that.
/// </summary>
/// <remarks>
/// The state reaches a custom mapping as a <see cref="ReadOnlyMemory{T}"/> over the one string held by the
/// model's state stage (the string literal of its compiled expression, or the value of a lookup in models saved
/// before), the same object for every row and every cursor. The cache is keyed by that string
/// object (<see cref="ConditionalWeakTable{TKey, TValue}"/>: an entry lives as long as the model), so a hit
/// costs one table lookup and no comparison of the text. ML.NET scores with several cursors at once: the hit
/// path takes no lock; a miss decodes under a lock so that each model is decoded once. Text that is not backed
/// by a string (never seen from ML.NET's stages, handled for safety) is compared with the last one decoded.
/// </remarks>
/// <typeparam name="T">The decoded state; immutable, since rows on several threads share it.</typeparam>
internal sealed class DecodedStateCache<T>
    where T : class
{
    private readonly ConditionalWeakTable<string, Entry> _byString = [];
    private readonly Func<ReadOnlyMemory<char>, T> _decode;
    private readonly Lock _lock = new();
    private volatile Entry? _lastUnbacked;

    /// <summary>Creates a cache that decodes with <paramref name="decode"/>.</summary>
    public DecodedStateCache(Func<ReadOnlyMemory<char>, T> decode) => _decode = decode;

    /// <summary>The decoded state for <paramref name="text"/>, decoding it on first sight.</summary>
    public T Get(ReadOnlyMemory<char> text)
    {
        if (MemoryMarshal.TryGetString(text, out string? owner, out int start, out int length))
        {
            if (_byString.TryGetValue(owner, out Entry? hit) && hit.Start == start && hit.Length == length)
            {
                return hit.Value;
            }

            lock (_lock)
            {
                if (_byString.TryGetValue(owner, out hit) && hit.Start == start && hit.Length == length)
                {
                    return hit.Value;
                }

                var entry = new Entry(start, length, _decode(text), null);
                _byString.AddOrUpdate(owner, entry);
                return entry.Value;
            }
        }

        Entry? last = _lastUnbacked;
        if (last is not null && last.Text.AsSpan().SequenceEqual(text.Span))
        {
            return last.Value;
        }

        lock (_lock)
        {
            var entry = new Entry(0, text.Length, _decode(text), text.ToString());
            _lastUnbacked = entry;
            return entry.Value;
        }
    }

    private sealed record Entry(int Start, int Length, T Value, string? Text);
}
