using System.Buffers.Binary;
using System.Text;

namespace AnnotateDpo.Training.Runtime;

/// <summary>
/// A minimal ELF64 little-endian reader for the GNU symbol-versioning sections: it lists the versions a shared
/// library defines (.gnu.version_d) and marks a version it needs (.gnu.version_r) as weak, so that the dynamic
/// loader accepts a library whose required version is missing as long as no symbol of that version is called.
/// </summary>
public static class ElfVersionPatcher
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    public const ushort VerFlagWeak = 0x2;

    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>A version a library needs from one of its dependencies, with the offset of its Vernaux entry.</summary>
    public sealed record VersionNeed(string File, string Version, ushort Flags, long AuxOffset);

    /// <summary>Every Vernaux entry in the library's .gnu.version_r section.</summary>
    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(ReadOnlySpan<byte> elf)
    {
        var needs = new List<VersionNeed>();
        var sections = ReadSections(elf);
        foreach (var section in sections.Where(s => s.Type == ShtGnuVerneed))
        {
            var strtab = sections[(int)section.Link];
            var offset = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                var count = U16(elf, offset + 2);
                var file = CString(elf, strtab.Offset + U32(elf, offset + 4));
                var aux = offset + U32(elf, offset + 8);
                for (var j = 0; j < count; j++)
                {
                    needs.Add(new VersionNeed(file, CString(elf, strtab.Offset + U32(elf, aux + 8)), U16(elf, aux + 4), aux));
                    aux += U32(elf, aux + 12);
                }
                offset += U32(elf, offset + 12);
            }
        }
        return needs;
    }

    /// <summary>The version names the library defines in .gnu.version_d (e.g. GLIBCXX_3.4.30 for libstdc++).</summary>
    public static IReadOnlySet<string> ReadVersionDefinitions(ReadOnlySpan<byte> elf)
    {
        var definitions = new HashSet<string>(StringComparer.Ordinal);
        var sections = ReadSections(elf);
        foreach (var section in sections.Where(s => s.Type == ShtGnuVerdef))
        {
            var strtab = sections[(int)section.Link];
            var offset = section.Offset;
            for (var i = 0; i < section.Info; i++)
            {
                // The first Verdaux of each Verdef names the version itself; later ones name its parents.
                var aux = offset + U32(elf, offset + 12);
                definitions.Add(CString(elf, strtab.Offset + U32(elf, aux)));
                offset += U32(elf, offset + 16);
            }
        }
        return definitions;
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="version"/>; returns how many entries changed.
    /// </summary>
    public static int MarkVersionNeedWeak(Span<byte> elf, string version)
    {
        var changed = 0;
        foreach (var need in ReadVersionNeeds(elf).Where(n => n.Version == version && (n.Flags & VerFlagWeak) == 0))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(elf[(int)(need.AuxOffset + 4)..], (ushort)(need.Flags | VerFlagWeak));
            changed++;
        }
        return changed;
    }

    private sealed record Section(uint Type, long Offset, uint Link, uint Info);

    private static List<Section> ReadSections(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || !elf[..4].SequenceEqual(ElfMagic))
            throw new InvalidDataException("Not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");

        var sectionHeaderOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        var entrySize = U16(elf, 0x3A);
        var count = U16(elf, 0x3C);
        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var h = sectionHeaderOffset + (long)i * entrySize;
            sections.Add(new Section(
                Type: U32(elf, h + 4),
                Offset: (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[(int)(h + 24)..]),
                Link: U32(elf, h + 40),
                Info: U32(elf, h + 44)));
        }
        return sections;
    }

    private static ushort U16(ReadOnlySpan<byte> elf, long offset) => BinaryPrimitives.ReadUInt16LittleEndian(elf[(int)offset..]);

    private static uint U32(ReadOnlySpan<byte> elf, long offset) => BinaryPrimitives.ReadUInt32LittleEndian(elf[(int)offset..]);

    private static string CString(ReadOnlySpan<byte> elf, long offset)
    {
        var rest = elf[(int)offset..];
        return Encoding.ASCII.GetString(rest[..rest.IndexOf((byte)0)]);
    }
}
