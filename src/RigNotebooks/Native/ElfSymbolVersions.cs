// One file, compiled twice: into the core library (namespace RigNotebooks.Native) and, as plain C# source, by
// MSBuild's RoslynCodeTaskFactory for the build step that patches TorchSharp's native library (see
// build/TorchSharpNative.targets). The inline compile targets netstandard2.0 and defines no NET symbol, so this
// file sticks to APIs both sides have (byte[] and manual little-endian reads; no Span, no records) and the MSBuild
// task class at the bottom is compiled only there.
#nullable enable
#pragma warning disable CA1510, CA1512, CA1513, CA1845, CA1846, CA1847, CA1865, CA1866, CA1867, CA2249, IDE0057, IDE0056, IDE0090, IDE0300, IDE0305, IDE0028
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace RigNotebooks.Native
{
    /// <summary>What <see cref="ElfSymbolVersions.MarkVersionWeak"/> did to one file.</summary>
    public enum ElfPatchOutcome
    {
        /// <summary>The version requirement was strong and is now weak.</summary>
        Patched,

        /// <summary>It was already weak (a previous run patched it): nothing written.</summary>
        AlreadyWeak,

        /// <summary>The file does not require that version at all: nothing to do.</summary>
        NotRequired,

        /// <summary>Something was not as expected; the file was left untouched and the message says what.</summary>
        Refused,
    }

    /// <summary>One file's outcome, with the evidence (the symbols bound to the version) and a sentence for people.</summary>
    public sealed class ElfPatchReport
    {
        public ElfPatchReport(string path, ElfPatchOutcome outcome, string message, IReadOnlyList<string> symbolsBoundToVersion)
        {
            Path = path;
            Outcome = outcome;
            Message = message;
            SymbolsBoundToVersion = symbolsBoundToVersion;
        }

        public string Path { get; }

        public ElfPatchOutcome Outcome { get; }

        public string Message { get; }

        public IReadOnlyList<string> SymbolsBoundToVersion { get; }

        public override string ToString() => Outcome.ToString().ToLowerInvariant() + ": " + Path + ": " + Message;
    }

    /// <summary>One entry of <c>.gnu.version_r</c>: a version of a needed library (vernaux), with where its flags live.</summary>
    public sealed class ElfVersionNeed
    {
        public const ushort WeakFlag = 0x2; // VER_FLG_WEAK

        public ElfVersionNeed(string file, string version, ushort flags, ushort index, long flagsFileOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            Index = index;
            FlagsFileOffset = flagsFileOffset;
        }

        /// <summary>The needed library's soname, e.g. <c>libstdc++.so.6</c>.</summary>
        public string File { get; }

        /// <summary>The version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        public string Version { get; }

        public ushort Flags { get; }

        /// <summary>The version index (vna_other) that <c>.gnu.version</c> entries use to bind symbols to it.</summary>
        public ushort Index { get; }

        public long FlagsFileOffset { get; }

        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    /// <summary>A dynamic relocation that names a symbol.</summary>
    public sealed class ElfSymbolRelocation
    {
        public ElfSymbolRelocation(string section, ulong offset, uint type, string symbol, ushort versionIndex)
        {
            Section = section;
            Offset = offset;
            Type = type;
            Symbol = symbol;
            VersionIndex = versionIndex;
        }

        public string Section { get; }

        public ulong Offset { get; }

        public uint Type { get; }

        public string Symbol { get; }

        public ushort VersionIndex { get; }
    }

    /// <summary>Thrown when a file is not the kind of ELF shared object this reader handles.</summary>
    public sealed class ElfFormatException : Exception
    {
        public ElfFormatException()
        {
        }

        public ElfFormatException(string message)
            : base(message)
        {
        }

        public ElfFormatException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }

    /// <summary>
    /// Reads the symbol-versioning tables of a 64-bit little-endian ELF shared object (x86-64, aarch64):
    /// <c>.dynsym</c>, <c>.gnu.version</c>, <c>.gnu.version_r</c> (needs), <c>.gnu.version_d</c> (definitions) and the
    /// dynamic relocation sections. Enough to decide whether a version requirement is actually used.
    /// </summary>
    public sealed class ElfImage
    {
        private const uint ShtRela = 4;
        private const uint ShtRel = 9;
        private const uint ShtDynsym = 11;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const uint ShtGnuVersym = 0x6fffffff;

        private readonly byte[] bytes;
        private readonly List<Section> sections = new List<Section>();
        private readonly List<string> symbolNames = new List<string>();
        private readonly List<ushort> symbolVersions = new List<ushort>();
        private readonly List<ElfVersionNeed> needs = new List<ElfVersionNeed>();
        private readonly List<string> definitions = new List<string>();

        private ElfImage(byte[] bytes, string label)
        {
            this.bytes = bytes;
            Label = label;
            ReadHeaderAndSections();
            ReadDynamicSymbols();
            ReadVersionNeeds();
            ReadVersionDefinitions();
        }

        public string Label { get; }

        /// <summary>Every version the file needs from its libraries (<c>.gnu.version_r</c>).</summary>
        public IReadOnlyList<ElfVersionNeed> VersionNeeds => needs;

        /// <summary>Every version the file defines (<c>.gnu.version_d</c>), e.g. a libstdc++'s GLIBCXX_3.4.30.</summary>
        public IReadOnlyList<string> VersionDefinitions => definitions;

        public static ElfImage Read(string path) => new ElfImage(File.ReadAllBytes(path), path);

        public static ElfImage Parse(byte[] bytes, string label) => new ElfImage(bytes, label);

        /// <summary>The dynamic symbols whose <c>.gnu.version</c> entry points at <paramref name="versionIndex"/>.</summary>
        public IReadOnlyList<string> SymbolsBoundTo(ushort versionIndex)
        {
            var result = new List<string>();
            for (var i = 0; i < symbolNames.Count && i < symbolVersions.Count; i++)
            {
                if ((symbolVersions[i] & 0x7fff) == versionIndex)
                {
                    result.Add(symbolNames[i]);
                }
            }

            return result;
        }

        /// <summary>Every dynamic relocation (REL or RELA, <c>.rela.dyn</c> and <c>.rela.plt</c>) that names a symbol.</summary>
        public IReadOnlyList<ElfSymbolRelocation> SymbolRelocations()
        {
            var result = new List<ElfSymbolRelocation>();
            var dynsymIndex = sections.FindIndex(s => s.Type == ShtDynsym);
            foreach (var section in sections)
            {
                if ((section.Type != ShtRela && section.Type != ShtRel) || section.Link != dynsymIndex)
                {
                    continue;
                }

                var entrySize = section.Type == ShtRela ? 24UL : 16UL;
                if (section.EntrySize != 0 && section.EntrySize != entrySize)
                {
                    throw new ElfFormatException(Label + ": relocation section " + section.Name + " has entry size " + section.EntrySize.ToString(CultureInfo.InvariantCulture) + ", expected " + entrySize.ToString(CultureInfo.InvariantCulture));
                }

                for (ulong at = 0; at + entrySize <= section.Size; at += entrySize)
                {
                    var offset = U64(section.Offset + at);
                    var info = U64(section.Offset + at + 8);
                    var symbol = (int)(info >> 32);
                    var type = (uint)(info & 0xffffffff);
                    if (symbol == 0)
                    {
                        continue;
                    }

                    if (symbol >= symbolNames.Count)
                    {
                        throw new ElfFormatException(Label + ": relocation in " + section.Name + " names symbol " + symbol.ToString(CultureInfo.InvariantCulture) + " beyond .dynsym");
                    }

                    var version = symbol < symbolVersions.Count ? (ushort)(symbolVersions[symbol] & 0x7fff) : (ushort)1;
                    result.Add(new ElfSymbolRelocation(section.Name, offset, type, symbolNames[symbol], version));
                }
            }

            return result;
        }

        private void ReadHeaderAndSections()
        {
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            {
                throw new ElfFormatException(Label + " is not an ELF file");
            }

            if (bytes[4] != 2 || bytes[5] != 1)
            {
                throw new ElfFormatException(Label + " is not a 64-bit little-endian ELF file (class " + bytes[4].ToString(CultureInfo.InvariantCulture) + ", data " + bytes[5].ToString(CultureInfo.InvariantCulture) + ")");
            }

            var type = U16(16);
            if (type != 3)
            {
                throw new ElfFormatException(Label + " is not a shared object (e_type " + type.ToString(CultureInfo.InvariantCulture) + ")");
            }

            var sectionOffset = U64(0x28);
            var sectionSize = U16(0x3A);
            var sectionCount = U16(0x3C);
            var namesIndex = U16(0x3E);
            if (sectionOffset == 0 || sectionCount == 0 || sectionSize != 64)
            {
                throw new ElfFormatException(Label + " has no usable section headers");
            }

            for (var i = 0; i < sectionCount; i++)
            {
                var at = sectionOffset + ((ulong)i * 64);
                sections.Add(new Section(U32(at), U32(at + 4), U64(at + 24), U64(at + 32), U32(at + 40), U32(at + 44), U64(at + 56)));
            }

            if (namesIndex < sections.Count)
            {
                foreach (var s in sections)
                {
                    s.Name = CString(sections[namesIndex].Offset, sections[namesIndex].Size, s.NameOffset);
                }
            }
        }

        private void ReadDynamicSymbols()
        {
            var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
            if (dynsym == null)
            {
                throw new ElfFormatException(Label + " has no .dynsym section");
            }

            var strings = StringTable(dynsym.Link);
            for (ulong at = 0; at + 24 <= dynsym.Size; at += 24)
            {
                symbolNames.Add(CString(strings.Offset, strings.Size, U32(dynsym.Offset + at)));
            }

            var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
            if (versym != null)
            {
                for (ulong at = 0; at + 2 <= versym.Size; at += 2)
                {
                    symbolVersions.Add(U16(versym.Offset + at));
                }

                if (symbolVersions.Count != symbolNames.Count)
                {
                    throw new ElfFormatException(Label + ": .gnu.version has " + symbolVersions.Count.ToString(CultureInfo.InvariantCulture) + " entries for " + symbolNames.Count.ToString(CultureInfo.InvariantCulture) + " dynamic symbols");
                }
            }
        }

        private void ReadVersionNeeds()
        {
            var verneed = sections.FirstOrDefault(s => s.Type == ShtGnuVerneed);
            if (verneed == null)
            {
                return;
            }

            var strings = StringTable(verneed.Link);
            var at = verneed.Offset;
            for (var n = 0u; n < verneed.Info; n++)
            {
                var count = U16(at + 2);
                var file = CString(strings.Offset, strings.Size, U32(at + 4));
                var aux = at + U32(at + 8);
                for (var a = 0; a < count; a++)
                {
                    needs.Add(new ElfVersionNeed(file, CString(strings.Offset, strings.Size, U32(aux + 8)), U16(aux + 4), U16(aux + 6), (long)(aux + 4)));
                    var nextAux = U32(aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                var next = U32(at + 12);
                if (next == 0)
                {
                    break;
                }

                at += next;
            }
        }

        private void ReadVersionDefinitions()
        {
            var verdef = sections.FirstOrDefault(s => s.Type == ShtGnuVerdef);
            if (verdef == null)
            {
                return;
            }

            var strings = StringTable(verdef.Link);
            var at = verdef.Offset;
            for (var n = 0u; n < verdef.Info; n++)
            {
                var auxCount = U16(at + 6);
                if (auxCount > 0)
                {
                    var aux = at + U32(at + 12);
                    definitions.Add(CString(strings.Offset, strings.Size, U32(aux)));
                }

                var next = U32(at + 16);
                if (next == 0)
                {
                    break;
                }

                at += next;
            }
        }

        private Section StringTable(uint index)
        {
            if (index >= sections.Count)
            {
                throw new ElfFormatException(Label + ": string table index " + index.ToString(CultureInfo.InvariantCulture) + " out of range");
            }

            return sections[(int)index];
        }

        private string CString(ulong tableOffset, ulong tableSize, uint offset)
        {
            if (offset >= tableSize)
            {
                throw new ElfFormatException(Label + ": string offset " + offset.ToString(CultureInfo.InvariantCulture) + " outside its table");
            }

            var start = checked((int)(tableOffset + offset));
            var end = start;
            while (end < bytes.Length && bytes[end] != 0)
            {
                end++;
            }

            return Encoding.UTF8.GetString(bytes, start, end - start);
        }

        private ushort U16(ulong at)
        {
            Check(at, 2);
            return (ushort)(bytes[at] | (bytes[at + 1] << 8));
        }

        private uint U32(ulong at)
        {
            Check(at, 4);
            return bytes[at] | ((uint)bytes[at + 1] << 8) | ((uint)bytes[at + 2] << 16) | ((uint)bytes[at + 3] << 24);
        }

        private ulong U64(ulong at) => U32(at) | ((ulong)U32(at + 4) << 32);

        private void Check(ulong at, ulong size)
        {
            if (at + size > (ulong)bytes.Length || at + size < at)
            {
                throw new ElfFormatException(Label + ": read at offset " + at.ToString(CultureInfo.InvariantCulture) + " past the end of the file (" + bytes.Length.ToString(CultureInfo.InvariantCulture) + " bytes); the file is truncated or damaged");
            }
        }

        private sealed class Section
        {
            public Section(uint nameOffset, uint type, ulong offset, ulong size, uint link, uint info, ulong entrySize)
            {
                NameOffset = nameOffset;
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
                EntrySize = entrySize;
            }

            public uint NameOffset { get; }

            public uint Type { get; }

            public ulong Offset { get; }

            public ulong Size { get; }

            public uint Link { get; }

            public uint Info { get; }

            public ulong EntrySize { get; }

            public string Name { get; set; } = "?";
        }
    }

    /// <summary>
    /// Marks one version requirement of an ELF shared object weak (<c>vna_flags |= VER_FLG_WEAK</c> in
    /// <c>.gnu.version_r</c>), so the dynamic loader accepts a library that lacks that version — but only after
    /// proving that no dynamic relocation uses a symbol bound to it, and that every symbol bound to it is one the
    /// caller expects (for TorchSharp 0.107: GCC 13's unused <c>std::ios_base_library_init</c> marker). Idempotent.
    /// </summary>
    public static class ElfSymbolVersions
    {
        public const string LibStdCxx = "libstdc++.so.6";

        /// <summary>The version TorchSharp 0.107's <c>libLibTorchSharp.so</c> asks for (GCC 13's libstdc++).</summary>
        public const string Glibcxx3432 = "GLIBCXX_3.4.32";

        /// <summary>GCC 13's &lt;iostream&gt; emits an undefined reference to this symbol (no relocation) so the linker
        /// records a dependency on the new libstdc++; nothing calls it.</summary>
        public static readonly IReadOnlyList<string> Gcc13IostreamMarker = new[] { "_ZSt21ios_base_library_initv" };

        private static readonly string[] SystemLibraryDirectories =
        {
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib64", "/usr/lib64", "/lib", "/usr/lib",
        };

        /// <summary>Marks <paramref name="version"/> of <paramref name="library"/> weak in <paramref name="path"/>, or
        /// refuses and says why. With <paramref name="write"/> false it only reports what it would do.</summary>
        public static ElfPatchReport MarkVersionWeak(string path, string library, string version, IEnumerable<string> allowedSymbols, bool write = true)
        {
            var allowed = new HashSet<string>(allowedSymbols, StringComparer.Ordinal);
            ElfImage image;
            try
            {
                image = ElfImage.Read(path);
            }
            catch (Exception ex) when (ex is ElfFormatException || ex is IOException || ex is UnauthorizedAccessException)
            {
                return Refuse(path, "cannot read it as an ELF shared object: " + ex.Message, Array.Empty<string>());
            }

            var matches = image.VersionNeeds.Where(n => n.File == library && n.Version == version).ToList();
            if (matches.Count == 0)
            {
                return new ElfPatchReport(path, ElfPatchOutcome.NotRequired, "does not require " + version + " of " + library, Array.Empty<string>());
            }

            if (matches.Count > 1)
            {
                return Refuse(path, version + " of " + library + " appears " + matches.Count.ToString(CultureInfo.InvariantCulture) + " times in .gnu.version_r", Array.Empty<string>());
            }

            var need = matches[0];
            if (need.Index < 2)
            {
                return Refuse(path, version + " has the reserved version index " + need.Index.ToString(CultureInfo.InvariantCulture), Array.Empty<string>());
            }

            if (image.VersionNeeds.Any(n => n != need && n.Index == need.Index))
            {
                return Refuse(path, "another version requirement shares index " + need.Index.ToString(CultureInfo.InvariantCulture) + " with " + version, Array.Empty<string>());
            }

            var bound = image.SymbolsBoundTo(need.Index);
            IReadOnlyList<ElfSymbolRelocation> relocations;
            try
            {
                relocations = image.SymbolRelocations();
            }
            catch (ElfFormatException ex)
            {
                return Refuse(path, ex.Message, bound);
            }

            var used = relocations.Where(r => r.VersionIndex == need.Index).ToList();
            if (used.Count > 0)
            {
                var first = used[0];
                return Refuse(
                    path,
                    used.Count.ToString(CultureInfo.InvariantCulture) + " dynamic relocation(s) use symbols bound to " + version + ", e.g. " + first.Symbol + " in " + first.Section +
                    " at 0x" + first.Offset.ToString("x", CultureInfo.InvariantCulture) + " (type " + first.Type.ToString(CultureInfo.InvariantCulture) +
                    "); with the version weak they would be left unresolved on an older " + library + ". Install a " + library + " that provides " + version + " instead",
                    bound);
            }

            var unexpected = bound.Where(s => !allowed.Contains(s)).ToList();
            if (unexpected.Count > 0)
            {
                return Refuse(path, "symbols bound to " + version + " other than the expected ones: " + string.Join(", ", unexpected) + "; this is not the binary the patch was written for", bound);
            }

            var evidence = bound.Count == 0
                ? "no symbol is bound to it"
                : string.Join(", ", bound) + " " + (bound.Count == 1 ? "is" : "are") + " bound to it and no dynamic relocation uses " + (bound.Count == 1 ? "it" : "them");
            if (need.IsWeak)
            {
                return new ElfPatchReport(path, ElfPatchOutcome.AlreadyWeak, version + " of " + library + " is already weak (" + evidence + ")", bound);
            }

            if (!write)
            {
                return new ElfPatchReport(path, ElfPatchOutcome.Patched, "would mark " + version + " of " + library + " weak (" + evidence + "); not written", bound);
            }

            try
            {
                var flags = (ushort)(need.Flags | ElfVersionNeed.WeakFlag);
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
                {
                    stream.Position = need.FlagsFileOffset;
                    stream.Write(new[] { (byte)(flags & 0xff), (byte)(flags >> 8) }, 0, 2);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return Refuse(path, "cannot write it: " + ex.Message, bound);
            }

            var check = ElfImage.Read(path).VersionNeeds.FirstOrDefault(n => n.File == library && n.Version == version);
            if (check == null || !check.IsWeak)
            {
                return Refuse(path, "wrote the weak flag but reading it back does not show it", bound);
            }

            return new ElfPatchReport(path, ElfPatchOutcome.Patched, "marked " + version + " of " + library + " weak (" + evidence + ")", bound);
        }

        /// <summary>The highest <paramref name="prefix"/>* version (e.g. <c>GLIBCXX_</c>) a library defines, by numeric order.</summary>
        public static string? HighestDefinedVersion(string libraryPath, string prefix)
        {
            var image = ElfImage.Read(libraryPath);
            return image.VersionDefinitions
                .Where(v => v.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(v => VersionKey(v.Substring(prefix.Length)), VersionKeyComparer.Instance)
                .LastOrDefault();
        }

        /// <summary>Where the dynamic loader would most likely find <paramref name="soname"/> on this machine: the
        /// directories in LD_LIBRARY_PATH, then the usual multiarch and lib64 directories.</summary>
        public static string? FindSystemLibrary(string soname)
        {
            var dirs = new List<string>();
            var ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            if (!string.IsNullOrEmpty(ld))
            {
                dirs.AddRange(ld!.Split(':').Where(d => d.Length > 0));
            }

            dirs.AddRange(SystemLibraryDirectories);
            return dirs.Select(d => Path.Combine(d, soname)).FirstOrDefault(File.Exists);
        }

        /// <summary>A small JSON document describing what was done, read back by the doctor. Written by hand because
        /// the build-time compile of this file has no JSON serializer.</summary>
        public static string DescribeAsJson(string by, string? systemLibrary, string? systemLevel, IEnumerable<ElfPatchReport> reports)
        {
            var sb = new StringBuilder();
            sb.Append("{\n  \"tool\": \"RigNotebooks ELF version patcher\",\n");
            sb.Append("  \"by\": ").Append(Quote(by)).Append(",\n");
            sb.Append("  \"timeUtc\": ").Append(Quote(DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture))).Append(",\n");
            sb.Append("  \"library\": ").Append(Quote(LibStdCxx)).Append(",\n");
            sb.Append("  \"version\": ").Append(Quote(Glibcxx3432)).Append(",\n");
            sb.Append("  \"systemLibrary\": ").Append(systemLibrary == null ? "null" : Quote(systemLibrary)).Append(",\n");
            sb.Append("  \"systemLevel\": ").Append(systemLevel == null ? "null" : Quote(systemLevel)).Append(",\n");
            sb.Append("  \"files\": [");
            var first = true;
            foreach (var r in reports)
            {
                sb.Append(first ? "\n" : ",\n");
                first = false;
                sb.Append("    { \"path\": ").Append(Quote(r.Path))
                  .Append(", \"outcome\": ").Append(Quote(r.Outcome.ToString().ToLowerInvariant()))
                  .Append(", \"message\": ").Append(Quote(r.Message))
                  .Append(", \"symbols\": [").Append(string.Join(", ", r.SymbolsBoundToVersion.Select(Quote))).Append("] }");
            }

            sb.Append(first ? "]\n}\n" : "\n  ]\n}\n");
            return sb.ToString();
        }

        private static string Quote(string text)
        {
            var sb = new StringBuilder("\"");
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20)
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }

                        break;
                }
            }

            return sb.Append('"').ToString();
        }

        private static ElfPatchReport Refuse(string path, string why, IReadOnlyList<string> bound) =>
            new ElfPatchReport(path, ElfPatchOutcome.Refused, why, bound);

        private static int[] VersionKey(string text) =>
            text.Split('.').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();

        private sealed class VersionKeyComparer : IComparer<int[]>
        {
            public static readonly VersionKeyComparer Instance = new VersionKeyComparer();

            public int Compare(int[]? x, int[]? y)
            {
                x = x ?? Array.Empty<int>();
                y = y ?? Array.Empty<int>();
                for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
                {
                    var a = i < x.Length ? x[i] : 0;
                    var b = i < y.Length ? y[i] : 0;
                    if (a != b)
                    {
                        return a.CompareTo(b);
                    }
                }

                return 0;
            }
        }
    }

#if !NET
    /// <summary>The build step: marks GLIBCXX_3.4.32 weak in each given copy of libLibTorchSharp.so (in the build or
    /// publish output, never the package cache) and writes a marker the doctor reads. Refusal fails the build.</summary>
    public sealed class MarkGlibcxxWeak : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        public string MarkerFile { get; set; } = string.Empty;

        public override bool Execute()
        {
            var reports = new List<ElfPatchReport>();
            foreach (var item in Files)
            {
                var report = ElfSymbolVersions.MarkVersionWeak(item.GetMetadata("FullPath"), ElfSymbolVersions.LibStdCxx, ElfSymbolVersions.Glibcxx3432, ElfSymbolVersions.Gcc13IostreamMarker);
                reports.Add(report);
                if (report.Outcome == ElfPatchOutcome.Refused)
                {
                    Log.LogError("RigNotebooks: refusing to patch " + report.Path + ": " + report.Message + ". Build with -p:RigPatchLibTorchSharp=false to skip this step (TorchSharp will then need a libstdc++ with " + ElfSymbolVersions.Glibcxx3432 + ").");
                }
                else
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "RigNotebooks: " + report);
                }
            }

            if (MarkerFile.Length > 0)
            {
                var system = ElfSymbolVersions.FindSystemLibrary(ElfSymbolVersions.LibStdCxx);
                string? level = null;
                try
                {
                    level = system == null ? null : ElfSymbolVersions.HighestDefinedVersion(system, "GLIBCXX_");
                }
                catch (ElfFormatException)
                {
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(MarkerFile))!);
                File.WriteAllText(MarkerFile, ElfSymbolVersions.DescribeAsJson("build", system, level, reports));
            }

            return !Log.HasLoggedErrors;
        }
    }
#endif
}
