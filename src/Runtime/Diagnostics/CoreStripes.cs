using System.Numerics;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// How a series spreads its counts over processors. Every request of a busy route updates the same series; were its
/// counts one set of fields, each core's update would have to take the cache line from the other cores first, which
/// measured about as much as the rest of a measurement together. So a series keeps one block of cells per stripe, a
/// thread updates the block of the processor it runs on, and a reader adds the blocks up.
/// </summary>
/// <remarks>
/// A thread can move to another processor between reading its processor id and updating, so two threads may share a
/// block for a moment: updates stay atomic (<see cref="Interlocked"/>) and are only uncontended, not unsynchronised.
/// </remarks>
internal static class CoreStripes
{
    /// <summary>
    /// Cells per cache-line pair: blocks are 128 bytes apart, because processors fetch adjacent 64-byte lines in pairs
    /// and two blocks in one pair would still bounce between cores.
    /// </summary>
    public const int CellsPerLine = 16;

    // More stripes than eight cost memory on every series of every instrument (2,000 series allowed per instrument)
    // for contention that, at that point, is already spread thin.
    private const int MaxStripes = 8;

    /// <summary>The number of blocks a series keeps: a power of two, at most the processor count rounded up, at most 8.</summary>
    public static int Count { get; } = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount)), MaxStripes);

    /// <summary>The block the calling thread updates.</summary>
    public static int Current => Thread.GetCurrentProcessorId() & (Count - 1);

    /// <summary>
    /// The cells one block takes for <paramref name="cells"/> values, rounded up to whole line pairs so blocks never share
    /// one.
    /// </summary>
    public static int Stride(int cells) => (cells + CellsPerLine - 1) / CellsPerLine * CellsPerLine;

    /// <summary>
    /// The first cell of the calling thread's block. Block 0 starts one line pair in: the array's length sits just before
    /// its first element and is read by every bounds check, so that line is kept free of writes.
    /// </summary>
    public static int CurrentOffset(int stride) => (Current + 1) * stride;

    /// <summary>The array a series with blocks of <paramref name="stride"/> cells allocates.</summary>
    public static int ArrayLength(int stride) => (Count + 1) * stride;
}
