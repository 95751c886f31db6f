// The layer view (core/image/layerview): layer trees in overlayfs form built in a
// temporary directory, scanned, stacked and scored as dive scores them.
#include "image/copyupwatch.h"
#include "image/layerview.h"

#include "error.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace hood::image;

namespace {

// "f /etc/conf 100; d /etc; w /gone; o /dir; l /link" per layer, layers split by
// '|', base first; a layer starting "U:" is the container's writable layer.
struct Built {
    std::vector<LayerInput> layers;
    QString skip; // why this machine cannot build the row
};

bool makeEntry(const QString &dir, const QStringList &words, QString *skip)
{
    const QByteArray path = (dir + words.value(1)).toLocal8Bit();
    QDir().mkpath(QFileInfo(QString::fromLocal8Bit(path)).path());
    const QString kind = words.value(0);
    if (kind == "f") {
        QFile f(QString::fromLocal8Bit(path));
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(QByteArray(words.value(2).toInt(), 'x'));
        return true;
    }
    if (kind == "d" || kind == "o") {
        QDir().mkpath(QString::fromLocal8Bit(path));
        if (kind == "d")
            return true;
        if (setxattr(path.constData(), "trusted.overlay.opaque", "y", 1, 0) == 0)
            return true;
        return setxattr(path.constData(), "user.overlay.opaque", "y", 1, 0) == 0;
    }
    if (kind == "l")
        return symlink("/nowhere", path.constData()) == 0;
    if (kind == "w") {
        if (mknod(path.constData(), S_IFCHR | 0000, makedev(0, 0)) == 0)
            return true;
        *skip = QStringLiteral("mknod of an overlay whiteout (a 0/0 character device) needs CAP_MKNOD: %1; "
                               "run the test as root")
                    .arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    return false;
}

Built build(const QTemporaryDir &tmp, const QString &spec)
{
    Built out;
    const QStringList layers = spec.split('|');
    for (int i = 0; i < layers.size(); ++i) {
        QString text = layers[i].trimmed();
        const bool writable = text.startsWith("U:");
        if (writable)
            text = text.mid(2);
        const QString dir = tmp.filePath(QString::number(i));
        QDir().mkpath(dir);
        for (const QString &item : text.split(';', Qt::SkipEmptyParts)) {
            if (!makeEntry(dir, item.split(' ', Qt::SkipEmptyParts), &out.skip)) {
                if (out.skip.isEmpty())
                    out.skip = "could not make " + item.trimmed() + " in " + dir;
                return out;
            }
        }
        out.layers.push_back(scanLayerDir(dir.toStdString(), writable));
    }
    return out;
}

const MergedEntry *mergedAt(const LayerView &view, const std::string &path)
{
    for (const MergedEntry &e : view.merged)
        if (e.path == path)
            return &e;
    return nullptr;
}

QString changesText(const LayerSummary &s)
{
    QStringList out;
    for (const LayerChange &c : s.changes)
        out << QString("%1 %2").arg(changeName(c.change)).arg(QString::fromStdString(c.path));
    return out.join(", ");
}

} // namespace

class TestLayerView : public QObject {
    Q_OBJECT

private slots:
    void stack_data();
    void stack();
    void history();
    void mergedFallback();
    void overlayOptions_data();
    void overlayOptions();
    void rootOverlayOfMountInfo();
    void humanBytes_data();
    void humanBytes();
    void copyUpWatchSeesNewDirectories();
};

void TestLayerView::stack_data()
{
    QTest::addColumn<QString>("layers");
    QTest::addColumn<QString>("changesOfTop"); // the top layer's changes, in path order
    QTest::addColumn<QString>("provenance");   // "path=layer" (-1: not in the merged tree)
    QTest::addColumn<qulonglong>("wasted");    // dive's potential wasted space
    QTest::addColumn<qulonglong>("hidden");    // bytes overwritten or deleted later
    QTest::addColumn<double>("efficiency");

    QTest::addRow("added") << "f /a 10 | f /b 20" << "added /b" << "/b=1" << 0ull << 0ull << 1.0;
    // dive counts both copies of an overwritten file as potential waste and the
    // smaller one as the minimum: 40 / (100 + 40).
    QTest::addRow("modified") << "d /etc; f /etc/conf 100 | d /etc; f /etc/conf 40" << "modified /etc/conf"
                              << "/etc/conf=1" << 140ull << 100ull << 40.0 / 140.0;
    // A whited-out file counts 0 in its layer: its 1000 bytes are all waste.
    QTest::addRow("whiteout") << "f /big 1000; f /keep 10 | w /big" << "deleted /big" << "/big=-1" << 1000ull
                              << 1000ull << 10.0 / 1010.0;
    // A whited-out directory is sized by its subtree, at its own path, which no
    // other layer holds: dive scores it 1.0 and lists no waste (its quirk, kept).
    QTest::addRow("deleted") << "d /cache; f /cache/x 300; f /cache/y 200; f /k 500 | w /cache" << "deleted /cache"
                             << "/cache/x=-1" << 0ull << 500ull << 1.0;
    QTest::addRow("opaque") << "d /d; f /d/old 50; f /k 50 | o /d; f /d/new 5"
                            << "modified /d, added /d/new, deleted /d/old" << "/d/new=1" << 0ull << 50ull << 1.0;
    QTest::addRow("wasted") << "f /a 100 | f /a 100 | f /a 100" << "modified /a" << "/a=2" << 300ull << 200ull
                            << 100.0 / 300.0;
    QTest::addRow("efficiency") << "f /lib 600; f /app 200 | f /app 200 | w /app" << "deleted /app" << "/lib=0"
                                << 400ull << 400ull << 600.0 / 1000.0;
    // The container's upper layer, as a copy-up and a new file leave it.
    QTest::addRow("writable") << "d /etc; f /etc/hostname 5 | U:d /etc; f /etc/hostname 9; d /tmp; f /tmp/new 3"
                              << "modified /etc/hostname, added /tmp, added /tmp/new" << "/etc/hostname=1" << 14ull
                              << 5ull << 8.0 / 17.0;
    QTest::addRow("symlink") << "f /bin/sh 50 | l /bin/sh" << "modified /bin/sh" << "/bin/sh=1" << 50ull << 50ull
                             << 0.0;
}

void TestLayerView::stack()
{
    QFETCH(QString, layers);
    QFETCH(QString, changesOfTop);
    QFETCH(QString, provenance);
    QFETCH(qulonglong, wasted);
    QFETCH(qulonglong, hidden);
    QFETCH(double, efficiency);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Built built = build(tmp, layers);
    if (!built.skip.isEmpty())
        QSKIP(qPrintable(built.skip));
    const LayerView view = computeLayerView(built.layers);
    QCOMPARE(view.layers.size(), built.layers.size());
    for (const LayerSummary &s : view.layers)
        QVERIFY2(s.problem.empty(), s.problem.c_str());
    const LayerSummary &top = view.layers.back();
    QCOMPARE(changesText(top), changesOfTop);
    QCOMPARE(top.added + top.modified + top.deleted, int(top.changes.size()));
    const QStringList p = provenance.split('=');
    const MergedEntry *e = mergedAt(view, p[0].toStdString());
    QCOMPARE(e ? e->layer : -1, p[1].toInt());
    QCOMPARE(qulonglong(view.wastedBytes), wasted);
    QCOMPARE(qulonglong(view.hiddenBytes), hidden);
    QVERIFY2(qAbs(view.efficiency - efficiency) < 1e-9,
             qPrintable(QString("efficiency %1, expected %2").arg(view.efficiency).arg(efficiency)));
    QCOMPARE(view.layers.back().writable, layers.contains("U:"));
    // The merged tree is in path order with parents first, as the page's tree needs.
    for (const MergedEntry &m : view.merged) {
        const std::string parent = m.path.substr(0, m.path.rfind('/'));
        QVERIFY2(parent.empty() || mergedAt(view, parent), m.path.c_str());
    }
}

void TestLayerView::history()
{
    QTemporaryDir tmp;
    const Built built = build(tmp, "f /bin/busybox 1000 | f /etc/motd 7 | U:f /x 1");
    QVERIFY(built.skip.isEmpty());
    const std::vector<HistoryStep> history = {{"ADD busybox /", 1000, false},
                                               {"ENV PATH=/bin", 0, true},
                                               {"RUN echo hi > /etc/motd", 7, false}};
    const LayerView view = computeLayerView(built.layers, history);
    QCOMPARE(view.layers[0].label, std::string("ADD busybox /"));
    QCOMPARE(view.layers[1].label, std::string("RUN echo hi > /etc/motd"));
    QCOMPARE(view.layers[2].label, built.layers[2].dir); // the writable layer has no history
    QCOMPARE(view.layers[0].size, 1000ull);
    QCOMPARE(view.totalSize, 1008ull);
    QCOMPARE(view.userSize, 8ull);
}

// A merged root the upper of which cannot be read: unchanged files are hard links
// (the same inode, so the same ctime, as overlayfs shows a lower file), a copied-up
// file is a new inode, a deleted one is missing.
void TestLayerView::mergedFallback()
{
    QTemporaryDir tmp;
    const Built built = build(tmp, "d /etc; f /etc/hostname 5; f /etc/passwd 20; f /etc/group 9; d /bin; f /bin/sh 50");
    QVERIFY(built.skip.isEmpty());
    const QString lower = tmp.filePath("0"), merged = tmp.filePath("merged");
    QVERIFY(QDir().mkpath(merged + "/etc") && QDir().mkpath(merged + "/bin") && QDir().mkpath(merged + "/tmp"));
    for (const char *same : {"/etc/passwd", "/bin/sh"})
        QCOMPARE(link((lower + same).toLocal8Bit(), (merged + same).toLocal8Bit()), 0);
    QFile copied(merged + "/etc/hostname");
    QVERIFY(copied.open(QIODevice::WriteOnly));
    copied.write("container\n");
    copied.close();
    QFile created(merged + "/tmp/new");
    QVERIFY(created.open(QIODevice::WriteOnly));
    created.close();
    // Read again: link(2) changed the lower inodes' ctime, as it does in the merged root.
    std::vector<LayerInput> layers = {scanLayerDir(lower.toStdString())};
    layers.push_back(upperFromMergedRoot(merged.toStdString(), layers));
    QVERIFY2(layers.back().problem.empty(), layers.back().problem.c_str());
    const LayerView view = computeLayerView(layers);
    QCOMPARE(changesText(view.layers.back()),
             QString("deleted /etc/group, modified /etc/hostname, added /tmp, added /tmp/new"));
    QCOMPARE(mergedAt(view, "/etc/hostname")->layer, 1);
    QCOMPARE(mergedAt(view, "/etc/passwd")->layer, 0);
    QVERIFY(!mergedAt(view, "/etc/group"));
}

void TestLayerView::overlayOptions_data()
{
    QTest::addColumn<QString>("options");
    QTest::addColumn<QStringList>("lowers");
    QTest::addColumn<QString>("upper");
    QTest::addColumn<QString>("work");
    QTest::addRow("classic") << "rw,lowerdir=/l/top:/l/mid:/l/base,upperdir=/u,workdir=/w,uuid=on"
                             << QStringList {"/l/top", "/l/mid", "/l/base"} << "/u" << "/w";
    QTest::addRow("one-lower") << "lowerdir=/img,upperdir=/run/hood/c1/rootfs/upper,workdir=/run/hood/c1/rootfs/work"
                               << QStringList {"/img"} << "/run/hood/c1/rootfs/upper" << "/run/hood/c1/rootfs/work";
    QTest::addRow("lowerdir+") << "rw,lowerdir+=/a,lowerdir+=/b,upperdir=/u,workdir=/w" << QStringList {"/a", "/b"}
                               << "/u" << "/w";
    QTest::addRow("read-only") << "ro,lowerdir=/a:/b" << QStringList {"/a", "/b"} << "" << "";
}

void TestLayerView::overlayOptions()
{
    QFETCH(QString, options);
    QFETCH(QStringList, lowers);
    QFETCH(QString, upper);
    QFETCH(QString, work);
    const OverlayLayers o = parseOverlayOptions(options.toStdString());
    QStringList got;
    for (const std::string &l : o.lowers)
        got << QString::fromStdString(l);
    QCOMPARE(got, lowers);
    QCOMPARE(QString::fromStdString(o.upper), upper);
    QCOMPARE(QString::fromStdString(o.work), work);
}

void TestLayerView::rootOverlayOfMountInfo()
{
    const std::string text =
        "300 250 0:90 / / rw,relatime - overlay overlay rw,lowerdir=/img,upperdir=/s/upper,workdir=/s/work\n"
        "301 300 0:91 / /proc rw,nosuid - proc proc rw\n";
    const auto overlay = rootOverlay(hood::inspect::parseMountInfo(text));
    QVERIFY(overlay);
    QCOMPARE(overlay->mountId, 300);
    QCOMPARE(overlay->upper, std::string("/s/upper"));
    const std::string plain = "22 1 8:1 / / rw - ext4 /dev/vda rw\n";
    QVERIFY(!rootOverlay(hood::inspect::parseMountInfo(plain)));
}

void TestLayerView::humanBytes_data()
{
    QTest::addColumn<qulonglong>("bytes");
    QTest::addColumn<QString>("text");
    QTest::addRow("bytes") << 17ull << "17 B";
    QTest::addRow("kB") << 1234ull << "1.2 kB";
    QTest::addRow("MB") << 82854982ull << "83 MB";
}

void TestLayerView::humanBytes()
{
    QFETCH(qulonglong, bytes);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(hood::image::humanBytes(bytes)), text);
}

// A copy-up as overlayfs makes it: the parent directory appears, then the file in it.
void TestLayerView::copyUpWatchSeesNewDirectories()
{
    QTemporaryDir tmp;
    CopyUpWatch watch(tmp.path().toStdString());
    QCOMPARE(watch.watchCount(), size_t(1));
    QVERIFY(QDir(tmp.path()).mkpath("etc"));
    QVERIFY(watch.readEvents().size() >= 1);
    QCOMPARE(watch.watchCount(), size_t(2));
    QFile f(tmp.filePath("etc/hostname"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
    f.close();
    QStringList written;
    for (const CopyUpEvent &e : watch.readEvents())
        if (e.kind == CopyUpEvent::Kind::Written)
            written << QString::fromStdString(e.path);
    QVERIFY2(written.contains("/etc/hostname"), qPrintable(written.join(' ')));
    QVERIFY(QFile::remove(tmp.filePath("etc/hostname")));
    bool deleted = false;
    for (const CopyUpEvent &e : watch.readEvents())
        deleted |= e.path == "/etc/hostname" && e.kind == CopyUpEvent::Kind::Deleted;
    QVERIFY(deleted);
}

QTEST_GUILESS_MAIN(TestLayerView)
#include "tst_layerview.moc"
