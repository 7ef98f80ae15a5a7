// MSBuild task (RoslynCodeTaskFactory, compiled at build time by Directory.Build.targets, against netstandard2.0).
//
// TorchSharp 0.107's libLibTorchSharp.so was linked with GCC 13 and declares a need for GLIBCXX_3.4.32 for exactly one
// symbol, std::ios_base_library_init(): GCC 13's <iostream> references it as a marker and never calls it. Debian 12's
// libstdc++ (GCC 12) stops at GLIBCXX_3.4.30, so the dynamic loader refuses the whole file. Marking that one version
// need weak (VER_FLG_WEAK in its Vernaux entry of .gnu.version_r) turns the refusal into a no-op: glibc's ld.so skips
// a weak version it cannot find, and the marker symbol is bound lazily and never called.
//
// The task edits the copy in the build's output folder only (never the NuGet cache): it writes a patched copy beside
// the file and renames it over, which also breaks a hard link to the cache. It does nothing when the system
// libstdc++ already provides the version, when the file does not need it, or when it is already weak.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenGlibcxxRequirement : Task
{
    private const ushort VerFlgWeak = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>The ELF shared object to patch in place (an output-folder copy).</summary>
    [Required]
    public string File { get; set; }

    /// <summary>The version to make weak, e.g. GLIBCXX_3.4.32.</summary>
    [Required]
    public string Version { get; set; }

    /// <summary>The system libstdc++ (e.g. /usr/lib/x86_64-linux-gnu/libstdc++.so.6).</summary>
    [Required]
    public string SystemLibrary { get; set; }

    /// <summary>What was done: patched, already-weak, not-needed, system-has-version.</summary>
    [Output]
    public string Result { get; set; }

    public override bool Execute()
    {
        if (!System.IO.File.Exists(File))
        {
            Log.LogError("WeakenGlibcxxRequirement: '{0}' does not exist", File);
            return false;
        }
        if (System.IO.File.Exists(SystemLibrary) && Contains(System.IO.File.ReadAllBytes(SystemLibrary), Encoding.ASCII.GetBytes(Version + "\0")))
        {
            Result = "system-has-version";
            return true;
        }
        byte[] elf = System.IO.File.ReadAllBytes(File);
        int entry;
        try
        {
            entry = FindVernaux(elf, Version);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            Log.LogError("WeakenGlibcxxRequirement: '{0}' is not a readable ELF64 file: {1}", File, e.Message);
            return false;
        }
        if (entry < 0)
        {
            Result = "not-needed";
            return true;
        }
        ushort flags = BitConverter.ToUInt16(elf, entry + 4);
        if ((flags & VerFlgWeak) != 0)
        {
            Result = "already-weak";
            return true;
        }
        // A copy keeps the file's mode; the rename replaces the output file (and any hard link to the NuGet cache) at once.
        string temp = File + ".weaken.tmp";
        System.IO.File.Copy(File, temp, overwrite: true);
        using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
        {
            stream.Position = entry + 4;
            stream.Write(BitConverter.GetBytes((ushort)(flags | VerFlgWeak)), 0, 2);
        }
        System.IO.File.Replace(temp, File, null);
        Result = "patched";
        Log.LogMessage(MessageImportance.High, "{0}: marked the {1} requirement weak (the system libstdc++ lacks it; see README)", File, Version);
        return true;
    }

    /// <summary>File offset of the Vernaux entry naming <paramref name="version"/>, or -1.</summary>
    private static int FindVernaux(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a little-endian ELF64 file");
        }
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + ((long)i * shentsize)));
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed)
            {
                continue;
            }
            int offset = checked((int)BitConverter.ToInt64(elf, sh + 24));
            int link = (int)BitConverter.ToUInt32(elf, sh + 40), count = (int)BitConverter.ToUInt32(elf, sh + 44);
            int strtab = checked((int)BitConverter.ToInt64(elf, checked((int)(shoff + ((long)link * shentsize))) + 24));
            int need = offset;
            for (int n = 0; n < count; n++)
            {
                int cnt = BitConverter.ToUInt16(elf, need + 2);
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < cnt; a++)
                {
                    if (ReadString(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8)) == version)
                    {
                        return aux;
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        return -1;
    }

    private static string ReadString(byte[] data, int start)
    {
        int end = Array.IndexOf(data, (byte)0, start);
        return Encoding.ASCII.GetString(data, start, end - start);
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length; i = Array.IndexOf(haystack, needle[0], i + 1))
        {
            int k = 1;
            while (k < needle.Length && haystack[i + k] == needle[k])
            {
                k++;
            }
            if (k == needle.Length)
            {
                return true;
            }
        }
        return false;
    }
}
