using RigNotebooks.Results;
using RigNotebooks.Results.Sharing;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Results.Sharing;

public class AnonymizerTests
{
    [Fact]
    public void Identifiers_are_replaced_as_whole_words_ignoring_case_and_the_rest_is_kept()
    {
        var a = new Anonymizer();
        a.Learn(IdentifierKind.Hostname, "vm");
        a.Learn(IdentifierKind.UserName, "alice");
        a.Learn(IdentifierKind.GpuUuid, "GPU-b1d82141-4d24-1414-2067-6d4f5495018c");

        Assert.Equal(
            "BOOT_IMAGE=/vmlinuz-6.5 on host-1 (host-1?) /home/user-1/rigs/x.json alicea GPU-00000000-0000-0000-0000-000000000001",
            a.Scrub("BOOT_IMAGE=/vmlinuz-6.5 on vm (VM?) /home/Alice/rigs/x.json alicea GPU-B1D82141-4D24-1414-2067-6D4F5495018C"));
        Assert.Empty(a.FindLeaks(a.Scrub("vm alice GPU-b1d82141-4d24-1414-2067-6d4f5495018c")));
    }

    [Fact]
    public void Unknown_uuids_and_home_paths_are_found_in_free_text()
    {
        var a = new Anonymizer();
        var scrubbed = a.Scrub("MIG-GPU-12345678-aaaa-bbbb-cccc-1234567890ab/1/0 and GPU-12345678-AAAA-bbbb-cccc-1234567890ab");
        Assert.Equal("MIG-GPU-00000000-0000-0000-0000-000000000001/1/0 and GPU-00000000-0000-0000-0000-000000000001", scrubbed);
        Assert.Equal(scrubbed, a.Scrub(scrubbed)); // aliases are never taken for identifiers

        using var temp = new TempFolder();
        var run = TestRuns.Bandwidth(new RunStore(temp.Path), note: @"profile C:\Users\Bob\rigs\r.json and /Users/carol/x");
        var b = new Anonymizer();
        b.Learn(run.Record, run.Rows);
        Assert.Equal(@"profile C:\Users\user-1\rigs\r.json and /Users/user-2/x", b.Scrub(run.Rows[^1].Note!));
    }

    [Fact]
    public void A_known_uuid_is_replaced_bare_or_prefixed_with_one_alias_core_and_unknown_bare_uuids_are_kept()
    {
        var a = new Anonymizer();
        Assert.Equal("GPU-00000000-0000-0000-0000-000000000001", a.Learn(IdentifierKind.GpuUuid, "GPU-266d9a76-56b3-e858-cf2d-2885a1c88b48"));
        Assert.Equal("00000000-0000-0000-0000-000000000002", a.Learn(IdentifierKind.GpuUuid, "9f1c0a7e-1111-2222-3333-444455556666")); // a bare "uuid" field

        const string text = "torch: 266D9A76-56B3-E858-CF2D-2885A1C88B48 (cuda:0), MIG-266d9a76-56b3-e858-cf2d-2885a1c88b48, " +
            "GPU-9f1c0a7e-1111-2222-3333-444455556666, run 0b5e7c1d-aaaa-bbbb-cccc-ddddeeeeffff, dev_266d9a76-56b3-e858-cf2d-2885a1c88b48x";
        var scrubbed = a.Scrub(text);
        Assert.Equal(
            "torch: 00000000-0000-0000-0000-000000000001 (cuda:0), MIG-00000000-0000-0000-0000-000000000001, " +
            "GPU-00000000-0000-0000-0000-000000000002, run 0b5e7c1d-aaaa-bbbb-cccc-ddddeeeeffff, dev_00000000-0000-0000-0000-000000000001x",
            scrubbed);
        Assert.Equal(scrubbed, a.Scrub(scrubbed));
        Assert.Equal(["266D9A76-56B3-E858-CF2D-2885A1C88B48"], a.FindLeaks(text.Split(' ')[1]));
        Assert.Empty(a.FindLeaks("run 0b5e7c1d-aaaa-bbbb-cccc-ddddeeeeffff"));
        Assert.Equal(2, a.Aliases.Count);
    }

    [Fact]
    public void Generic_account_and_host_names_are_left_alone()
    {
        var a = new Anonymizer();
        Assert.Null(a.Learn(IdentifierKind.UserName, "root"));
        Assert.Null(a.Learn(IdentifierKind.Hostname, "ubuntu"));
        Assert.Null(a.Learn(IdentifierKind.Hostname, "  "));
        Assert.Null(a.Learn(IdentifierKind.Hostname, "Completed")); // a word run.json needs as it is
        const string cmdline = "BOOT_IMAGE=/vmlinuz root=/dev/mapper/ubuntu--vg-ubuntu--lv ro iommu=pt";
        Assert.Equal(cmdline, a.Scrub(cmdline));
    }

    [Fact]
    public void A_record_is_scrubbed_everywhere_and_its_rig_hash_recomputed()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store,
            change: rig => TestRuns.WithIdentity(rig, "zorblax-box", ["GPU-aaaaaaaa-0000-1111-2222-333333333333", "GPU-bbbbbbbb-0000-1111-2222-333333333333", "GPU-cccccccc-0000-1111-2222-333333333333"], ["1324020012345"]),
            spec: new System.Text.Json.Nodes.JsonObject { ["profile"] = "/home/zorblax/rigs/mine.json", ["serial"] = "1324020099999" });
        run = store.AddNote(run.Id, "card GPU-aaaaaaaa-0000-1111-2222-333333333333 on zorblax-box ran hot");

        var a = new Anonymizer();
        a.Learn(run.Record, run.Rows);
        var scrubbed = a.Scrub(run.Record);
        var json = System.Text.Json.JsonSerializer.Serialize(scrubbed, RigNotebooks.Data.KitJson.Indented);

        foreach (var secret in new[] { "zorblax", "aaaaaaaa", "bbbbbbbb", "1324020012345", "1324020099999" })
        {
            Assert.DoesNotContain(secret, json, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("card GPU-00000000-0000-0000-0000-000000000001 on host-1 ran hot", Assert.Single(scrubbed.Notes).Text);
        Assert.Equal("GPU-00000000-0000-0000-0000-000000000001", scrubbed.Rig.Gpus[0].Uuid);
        Assert.Equal("/home/user-1/rigs/mine.json", scrubbed.Spec["profile"]!.GetValue<string>());
        Assert.NotEqual(run.Record.Rig.Hash, scrubbed.Rig.Hash);
        Assert.Equal(RigFingerprint.ComputeHash(scrubbed.Rig), scrubbed.Rig.Hash);
        Assert.Equal(run.Record.Rig.KernelCommandLine, scrubbed.Rig.KernelCommandLine);
        Assert.Equal(run.Record.Rig.DriverVersion, scrubbed.Rig.DriverVersion);
        Assert.Equal(run.Record.Summary, scrubbed.Summary);
    }
}
