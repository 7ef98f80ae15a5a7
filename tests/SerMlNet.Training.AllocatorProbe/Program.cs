// Prints, for three rounds, the minor page faults of allocating and filling 48 MiB of tensor memory again after the
// same amount was freed ("round <n> <faults> <pages>"). With TorchEngine's heap-kept allocator (mallopt) the freed memory
// is reused and the second allocation faults almost no page; with glibc's defaults every page faults every round.
// Exit 0, or 2 when the setting was not applied.
using System.Globalization;
using SerMlNet.Training.Engine;
using static TorchSharp.torch;

TorchEngine.EnsureInitialized();
if (!TorchEngine.HeapKeptAllocator)
{
    Console.WriteLine("mallopt(M_MMAP_THRESHOLD/M_TRIM_THRESHOLD) was not applied");
    return 2;
}
const long floats = 10L << 20;
long pages = floats * sizeof(float) / Environment.SystemPageSize;
// On a thread of its own, which gets a fresh glibc arena in this otherwise idle process (its heaps hold 64 MiB, so the
// 48 MiB block fits). Not on the main thread: the main arena of a .NET process cannot grow by brk past the runtime's
// reservations and falls back to mapping large blocks one by one (every page faulted every round, setting or not).
var lines = new List<string>();
var worker = new Thread(() =>
{
    for (int round = 1; round <= 10; round++)
    {
        using (Tensor first = ones(floats))
        {
            first.sum().item<float>();
        }
        long before = MinorFaults();
        using (Tensor second = ones(floats))
        {
            second.sum().item<float>();
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"round {round} {MinorFaults() - before} {pages}"));
    }
});
worker.Start();
worker.Join();
lines.ForEach(Console.WriteLine);
return 0;

static long MinorFaults()
{
    // /proc/self/stat: field 10 is minflt; the command name (field 2) is in parentheses and may hold spaces.
    string stat = File.ReadAllText("/proc/self/stat");
    string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[7], CultureInfo.InvariantCulture);
}
