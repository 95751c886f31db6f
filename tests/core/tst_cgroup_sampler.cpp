// The cgroup usage sampler and the pure parsers under it, on the stat files of
// fixtures/cgroups/ (real v1 files from the build machine, v2 files written from
// the kernel documentation; see its README), both directly and through
// CgroupManager::stats() on a fixture tree.
#include "cgroupfixture.h"
#include "cgroups/cgroup_parse.h"
#include "cgroups/cgroups.h"
#include "cgroups/sampler.h"

#include <QtTest>

#include <thread>

using namespace hood;
using namespace cgfixture;

class TestCgroupSampler : public QObject {
    Q_OBJECT

private slots:
    void parseLimit_data();
    void parseLimit();
    void parseV1Fixtures();
    void parseV2Fixtures();
    void parseV2WithoutKernelLine();
    void parseBlkioTotalOnly();
    void statsV1();
    void statsV2();
    void samplerSkipsMissingFiles();
    void samplerGuessesMode();
    void samplerCpuPercent();
    void parseProcCgroup();
};

void TestCgroupSampler::parseLimit_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qlonglong>("expected"); // -1: no limit
    QTest::addRow("bytes") << "67108864\n" << 67108864LL;
    QTest::addRow("zero") << "0\n" << 0LL;
    QTest::addRow("v2-max") << "max\n" << -1LL;
    QTest::addRow("v1-unlimited-4k-pages") << "9223372036854771712\n" << -1LL;
    QTest::addRow("v1-unlimited-64k-pages") << "9223372036854710272\n" << -1LL;
    QTest::addRow("v1-quota-minus-one") << "-1\n" << -1LL;
}

void TestCgroupSampler::parseLimit()
{
    QFETCH(QString, text);
    QFETCH(qlonglong, expected);
    auto limit = hood::parseLimit(text.toStdString());
    QCOMPARE(limit ? qlonglong(*limit) : -1LL, expected);
}

void TestCgroupSampler::parseV1Fixtures()
{
    CpuStat cpuStat = parseCpuStat(fixtureText("v1/cpu.stat"));
    QCOMPARE(cpuStat.periods, 17u);
    QCOMPARE(cpuStat.throttledPeriods, 16u);
    QCOMPARE(cpuStat.throttledNs, 1249825258u);

    MemoryStat mem = parseMemoryStatV1(fixtureText("v1/memory.stat"));
    QCOMPARE(mem.anon, 425984u);
    QCOMPARE(mem.file, 42012672u);
    QCOMPARE(mem.shmem, 41943040u);
    QCOMPARE(mem.fileMapped, 8192u);
    QCOMPARE(mem.fileDirty, 16384u);
    QCOMPARE(mem.inactiveAnon, 42254336u);
    QCOMPARE(mem.activeFile, 53248u);
    QCOMPARE(mem.pgfault, 7792u);
    QCOMPARE(mem.pgmajfault, 4u);
    QCOMPARE(mem.swap, std::optional<uint64_t>(0));
    QVERIFY(!mem.kernel); // v1 keeps it in memory.kmem.usage_in_bytes
    QVERIFY(!mem.slab);

    QCOMPARE(parseOomControlV1(fixtureText("v1/memory.oom_control")).oomKill, 1u);
    ReadWrite bytes = parseBlkioV1(fixtureText("v1/blkio.throttle.io_service_bytes_recursive"));
    QCOMPARE(bytes.read, 16871424u);
    QCOMPARE(bytes.write, 16777216u);
    ReadWrite ops = parseBlkioV1(fixtureText("v1/blkio.throttle.io_serviced_recursive"));
    QCOMPARE(ops.read, 19u);
    QCOMPARE(ops.write, 32u);
    QCOMPARE(cpuLimitV1(fixtureText("v1/cpu.cfs_quota_us"), fixtureText("v1/cpu.cfs_period_us")),
             std::optional<double>(0.2));
    QVERIFY(!cpuLimitV1("-1\n", "100000\n"));
}

void TestCgroupSampler::parseV2Fixtures()
{
    CpuStat cpuStat = parseCpuStat(fixtureText("v2/cpu.stat"));
    QCOMPARE(cpuStat.usageNs, 8351622000u);
    QCOMPARE(cpuStat.periods, 166u);
    QCOMPARE(cpuStat.throttledPeriods, 83u);
    QCOMPARE(cpuStat.throttledNs, 4163187000u);

    MemoryStat mem = parseMemoryStatV2(fixtureText("v2/memory.stat"));
    QCOMPARE(mem.anon, 41943040u);
    QCOMPARE(mem.file, 9437184u);
    QCOMPARE(mem.shmem, 4194304u);
    QCOMPARE(mem.fileMapped, 2097152u);
    QCOMPARE(mem.fileDirty, 4096u);
    QCOMPARE(mem.inactiveAnon, 46129152u);
    QCOMPARE(mem.activeAnon, 8192u);
    QCOMPARE(mem.pgfault, 12450u);
    QCOMPARE(mem.kernel, std::optional<uint64_t>(1323008));
    QCOMPARE(mem.slab, std::optional<uint64_t>(999424));
    QCOMPARE(mem.sock, std::optional<uint64_t>(0));
    QVERIFY(!mem.swap); // v2: memory.swap.current

    MemoryEvents events = parseMemoryEventsV2(fixtureText("v2/memory.events"));
    QCOMPARE(events.max, 412u);
    QCOMPARE(events.oom, 1u);
    QCOMPARE(events.oomKill, 1u);

    IoStat io = parseIoStatV2(fixtureText("v2/io.stat"));
    QCOMPARE(io.readBytes, 1052672u + 4096u); // summed over both devices
    QCOMPARE(io.writeBytes, 16777216u);
    QCOMPARE(io.readOps, 42u);
    QCOMPARE(io.writeOps, 16u);
    QCOMPARE(parseCpuMaxV2(fixtureText("v2/cpu.max")), std::optional<double>(0.5));
    QVERIFY(!parseCpuMaxV2("max 100000\n"));
}

void TestCgroupSampler::parseV2WithoutKernelLine()
{
    MemoryStat mem = parseMemoryStatV2(fixtureText("v2/memory.stat.no-kernel-line"));
    // kernel_stack + pagetables + percpu + slab
    QCOMPARE(mem.kernel, std::optional<uint64_t>(98304 + 208896 + 2280 + 999424));
    QCOMPARE(mem.anon, 41943040u);
}

void TestCgroupSampler::parseBlkioTotalOnly()
{
    // What the build machine shows without a throttle rule.
    ReadWrite rw = parseBlkioV1("Total 0\n");
    QCOMPARE(rw.read, 0u);
    QCOMPARE(rw.write, 0u);
}

void TestCgroupSampler::statsV1()
{
    Tree tree;
    buildTree(tree, Layout::V1);
    installV1Fixtures(tree);
    auto cg = manager(tree, Layout::V1);
    CgroupStats s = cg->stats();
    QCOMPARE(s.cpuUsageNs, 343681388u);
    QCOMPARE(s.throttledPeriods, 16u);
    QCOMPARE(s.throttledNs, 1249825258u);
    QCOMPARE(s.memoryCurrent, 43188224u);
    QCOMPARE(s.memoryPeak, 67108864u);
    QCOMPARE(s.memoryLimit, std::optional<uint64_t>(67108864));
    QCOMPARE(s.pidsCurrent, 4u);
    QCOMPARE(s.pidsMax, std::optional<uint64_t>(64));
    QCOMPARE(s.oomKills, 1u);
    QCOMPARE(s.oomEvents, 1u);

    CgroupSampler sampler(*cg);
    QCOMPARE(sampler.mode(), CgroupMode::V1);
    CgroupSample sample = sampler.sample();
    QCOMPARE(sample.stats.memoryCurrent, s.memoryCurrent);
    QCOMPARE(sample.memory.anon, 425984u);
    QCOMPARE(sample.memory.kernel, std::optional<uint64_t>(1634304)); // memory.kmem.usage_in_bytes
    QCOMPARE(sample.memoryLimitHits, 0u);
    QCOMPARE(sample.pidsLimitHits, 37u);
    QCOMPARE(sample.io.readBytes, 16871424u);
    QCOMPARE(sample.io.writeOps, 32u);
    QCOMPARE(sample.cpuLimit, std::optional<double>(0.2));
    QVERIFY(!sample.cpuPercent);                  // needs a previous sample
    QCOMPARE(sampler.files().size(), size_t(16)); // every fixture but cpu.shares

    // The unlimited value of a fresh v1 cgroup reads as no limit.
    tree.write("memory/hood/c1/memory.limit_in_bytes", kUnlimitedV1);
    tree.write("pids/hood/c1/pids.max", "max\n");
    QVERIFY(!cg->stats().memoryLimit);
    QVERIFY(!cg->stats().pidsMax);
}

void TestCgroupSampler::statsV2()
{
    Tree tree;
    buildTree(tree, Layout::V2);
    installV2Fixtures(tree);
    auto cg = manager(tree, Layout::V2);
    CgroupStats s = cg->stats();
    QCOMPARE(s.cpuUsageNs, 8351622000u);
    QCOMPARE(s.throttledPeriods, 83u);
    QCOMPARE(s.throttledNs, 4163187000u);
    QCOMPARE(s.memoryCurrent, 52703232u);
    QCOMPARE(s.memoryPeak, 67108864u);
    QCOMPARE(s.memoryLimit, std::optional<uint64_t>(67108864));
    QCOMPARE(s.pidsCurrent, 3u);
    QCOMPARE(s.pidsMax, std::optional<uint64_t>(100));
    QCOMPARE(s.oomEvents, 1u);
    QCOMPARE(s.oomKills, 1u);

    CgroupSampler sampler(*cg);
    CgroupSample sample = sampler.sample();
    QCOMPARE(sample.memory.kernel, std::optional<uint64_t>(1323008));
    QCOMPARE(sample.memory.swap, std::optional<uint64_t>(0));
    QCOMPARE(sample.memoryLimitHits, 412u);
    QCOMPARE(sample.pidsLimitHits, 12u);
    QCOMPARE(sample.io.writeBytes, 16777216u);
    QCOMPARE(sample.cpuLimit, std::optional<double>(0.5));

    tree.write("hood/c1/memory.max", "max\n");
    tree.write("hood/c1/pids.max", "max\n");
    QVERIFY(!cg->stats().memoryLimit);
    QVERIFY(!cg->stats().pidsMax);
}

void TestCgroupSampler::samplerSkipsMissingFiles()
{
    // A root cgroup, or a machine without some controllers: only what exists is read.
    Tree tree;
    tree.mkdir("cg");
    tree.write("cg/cgroup.controllers", "memory\n");
    tree.write("cg/memory.current", "4096\n");
    CgroupSampler sampler({tree.path("cg").toStdString()}, CgroupMode::V2);
    QCOMPARE(sampler.files(),
             std::vector<std::string>{tree.path("cg/memory.current").toStdString()});
    CgroupSample sample = sampler.sample();
    QCOMPARE(sample.stats.memoryCurrent, 4096u);
    QCOMPARE(sample.stats.cpuUsageNs, 0u);
    QVERIFY(!sample.stats.memoryLimit);
    QVERIFY(!sample.memory.kernel);
}

void TestCgroupSampler::samplerGuessesMode()
{
    Tree tree;
    installV2Fixtures(tree);
    QCOMPARE(CgroupSampler({tree.path("hood/c1").toStdString()}).mode(), CgroupMode::V2);
    Tree v1;
    installV1Fixtures(v1);
    QCOMPARE(CgroupSampler(
                 {v1.path("memory/hood/c1").toStdString(), v1.path("pids/hood/c1").toStdString()})
                 .mode(),
             CgroupMode::V1);
}

void TestCgroupSampler::samplerCpuPercent()
{
    Tree tree;
    tree.mkdir("cg");
    tree.write("cg/cpuacct.usage", "1000000000\n");
    CgroupSampler sampler({tree.path("cg").toStdString()}, CgroupMode::V1);
    CgroupSample first = sampler.sample();
    QVERIFY(!first.cpuPercent);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    // 10 ms of CPU since the first sample; the kept fd sees the rewritten file.
    tree.write("cg/cpuacct.usage", "1010000000\n");
    CgroupSample second = sampler.sample();
    QVERIFY(second.cpuPercent);
    double elapsedNs = std::chrono::duration<double, std::nano>(second.time - first.time).count();
    QCOMPARE(*second.cpuPercent, 100.0 * 10e6 / elapsedNs);
    QVERIFY(*second.cpuPercent > 0 && *second.cpuPercent < 50); // 10 ms in >= 20 ms
}

void TestCgroupSampler::parseProcCgroup()
{
    auto lines = hood::parseProcCgroup(
        "12:cpu,cpuacct:/hood/x\n4:memory:/hood/x\n1:name=systemd:/\n0::/user.slice\n");
    QCOMPARE(lines.size(), size_t(4));
    QCOMPARE(lines[0].hierarchyId, 12u);
    QCOMPARE(lines[0].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
    QCOMPARE(lines[0].path, std::string("/hood/x"));
    QCOMPARE(lines[2].controllers, std::vector<std::string>{"name=systemd"});
    QCOMPARE(lines[3].hierarchyId, 0u);
    QVERIFY(lines[3].controllers.empty());
    QCOMPARE(lines[3].path, std::string("/user.slice"));
}

QTEST_GUILESS_MAIN(TestCgroupSampler)
#include "tst_cgroup_sampler.moc"
