// Images made by real tools, run by Hood: umoci makes a two-layer image whose second
// layer deletes a file (a whiteout), skopeo copies it to an OCI archive and a docker
// archive, Hood loads each and a container sees the upper file and not the deleted
// one. Hood's save output passes skopeo inspect and loads back with the same
// digests; diff and commit round trip. Every run uses a store of its own.
#include "hoodtest.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QtTest>

using namespace hoodtest;

class TestImages : public QObject {
    Q_OBJECT

    QTemporaryDir m_root {"/tmp/hood-tst-images-XXXXXX"};
    QTemporaryDir m_work {"/tmp/hood-tst-imgwork-XXXXXX"};
    QString root() const { return m_root.path(); }
    QString work() const { return m_work.path(); }

    Result hood(const QString &store, const QStringList &args, int timeoutMs = 120000)
    {
        qputenv("HOOD_STORE", store.toUtf8());
        return run(root(), args, timeoutMs);
    }

    static Result tool(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.start(program, args);
        if (!p.waitForStarted() || !p.waitForFinished(120000))
            return {-1, {}, program + " did not run"};
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    QJsonObject inspect(const QString &store, const QString &image)
    {
        Result r = hood(store, {"image", "inspect", image});
        return QJsonDocument::fromJson(r.out.toUtf8()).array().at(0).toObject();
    }

    bool m_made = false;

private slots:
    void initTestCase()
    {
        if (!isRoot())
            QSKIP("the image tests start containers with overlay mounts: run them as root");
        for (const char *t : {"umoci", "skopeo"}) {
            if (QStandardPaths::findExecutable(t).isEmpty())
                QSKIP(qPrintable(QString(t) + " is not installed (apt-get install umoci skopeo)"));
        }
        // umoci: layer 1 = the built-in rootfs + keep + gone; layer 2 deletes gone, adds upper.
        const QString layout = work() + "/twolayers", bundle = work() + "/bundle";
        auto ok = [](const Result &r) { return r.code == 0; };
        QVERIFY(ok(tool("umoci", {"init", "--layout", layout})));
        QVERIFY(ok(tool("umoci", {"new", "--image", layout + ":latest"})));
        QVERIFY(ok(tool("umoci", {"unpack", "--image", layout + ":latest", bundle})));
        QVERIFY(ok(tool("cp", {"-a", builtinRootfs() + "/.", bundle + "/rootfs/"})));
        QVERIFY(ok(tool("sh", {"-c", "echo keep > " + bundle + "/rootfs/keep; echo gone > " + bundle + "/rootfs/gone"})));
        QVERIFY(ok(tool("umoci", {"repack", "--image", layout + ":latest", bundle})));
        QVERIFY(ok(tool("rm", {"-rf", bundle})));
        QVERIFY(ok(tool("umoci", {"unpack", "--image", layout + ":latest", bundle})));
        QVERIFY(ok(tool("sh", {"-c", "rm " + bundle + "/rootfs/gone; echo upper > " + bundle + "/rootfs/upper"})));
        QVERIFY(ok(tool("umoci", {"repack", "--image", layout + ":latest", bundle})));
        Result c = tool("umoci", {"config", "--image", layout + ":latest", "--config.cmd", "sh",
                                  "--config.env", "FROM_IMAGE=yes", "--config.workingdir", "/tmp"});
        QVERIFY2(c.code == 0, qPrintable(c.err));
        Result a = tool("skopeo", {"copy", "oci:" + layout + ":latest", "oci-archive:" + work() + "/two.oci.tar:two:layers"});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        Result d = tool("skopeo", {"copy", "oci:" + layout + ":latest", "docker-archive:" + work() + "/two.docker.tar:two:layers"});
        QVERIFY2(d.code == 0, qPrintable(d.err));
        m_made = true;
    }

    void loadAndRun_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("name");
        QTest::addRow("oci-layout") << "twolayers" << "twolayers:latest";
        QTest::addRow("oci-archive") << "two.oci.tar" << "two:layers";
        QTest::addRow("docker-archive") << "two.docker.tar" << "two:layers";
    }

    void loadAndRun()
    {
        QFETCH(QString, source);
        QFETCH(QString, name);
        const QString store = work() + "/store-" + QTest::currentDataTag();
        Result l = hood(store, {"load", "-i", work() + "/" + source});
        QVERIFY2(l.code == 0, qPrintable(l.err));
        QVERIFY2(l.out.contains("Loaded image: " + name), qPrintable(l.out));
        Result r = hood(store, {"run", "--image", name, "--", "sh", "-c",
                                "cat /upper /keep; test -e /gone && echo GONE-VISIBLE; echo $FROM_IMAGE; pwd"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out, QString("upper\nkeep\nyes\n/tmp\n"));
        QCOMPARE(leftovers(root()), QStringList());
    }

    void saveInspectLoadBack_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("transport");
        QTest::addRow("docker-archive") << "docker-archive" << "docker-archive:";
        QTest::addRow("oci-archive") << "oci-archive" << "oci-archive:";
        QTest::addRow("oci-dir") << "oci-dir" << "oci:";
    }

    void saveInspectLoadBack()
    {
        QFETCH(QString, format);
        QFETCH(QString, transport);
        const QString store = work() + "/store-save", back = work() + "/store-back-" + format;
        QVERIFY(hood(store, {"load", work() + "/two.oci.tar"}).code == 0);
        const QString out = work() + "/saved-" + format;
        Result s = hood(store, {"save", "--format", format, "-o", out, "two:layers"});
        QVERIFY2(s.code == 0, qPrintable(s.err));
        Result i = tool("skopeo", {"inspect", transport + out});
        QVERIFY2(i.code == 0, qPrintable(i.err));
        QCOMPARE(QJsonDocument::fromJson(i.out.toUtf8()).object()["Layers"].toArray().size(), 2);
        Result l = hood(back, {"load", out});
        QVERIFY2(l.code == 0, qPrintable(l.err));
        const QJsonObject a = inspect(store, "two:layers"), b = inspect(back, "two:layers");
        QCOMPARE(b["Id"].toString(), a["Id"].toString());
        auto layerDigests = [](const QJsonObject &o) {
            QStringList out;
            for (const QJsonValue &l : o["Manifest"].toObject()["layers"].toArray())
                out << l.toObject()["digest"].toString();
            return out;
        };
        QCOMPARE(layerDigests(b), layerDigests(a));
        // A docker archive carries no manifest (load makes one): the OCI formats keep it.
        if (format != "docker-archive")
            QCOMPARE(b["ManifestDigest"].toString(), a["ManifestDigest"].toString());
    }

    void diffAndCommit()
    {
        const QString store = work() + "/store-commit";
        QVERIFY(hood(store, {"load", work() + "/two.oci.tar"}).code == 0);
        Result r = hood(store, {"run", "-d", "--name", "img-commit", "--image", "two:layers", "--", "sh", "-c",
                                "echo new > /added; rm /keep; echo more >> /upper; mkdir /d; sleep 30"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QString out;
        for (int i = 0; i < 50 && !out.contains("A /d"); ++i) {
            QTest::qWait(100);
            out = hood(store, {"diff", "img-commit"}).out;
        }
        QCOMPARE(out, QString("A /added\nA /d\nD /keep\nC /upper\n"));
        Result c = hood(store, {"commit", "img-commit", "committed:1"});
        QVERIFY2(c.code == 0, qPrintable(c.err));
        QVERIFY(hood(store, {"delete", "--force", "img-commit"}).code == 0);
        Result again = hood(store, {"run", "--image", "committed:1", "--", "sh", "-c",
                                    "cat /added /upper; test -e /keep && echo KEEP-VISIBLE; test -d /d && echo dir"});
        QVERIFY2(again.code == 0, qPrintable(again.err));
        QCOMPARE(again.out, QString("new\nupper\nmore\ndir\n"));
        Result h = hood(store, {"history", "committed:1"});
        QVERIFY2(h.out.contains("hoodctl commit img-commit"), qPrintable(h.out));
        QCOMPARE(leftovers(root()), QStringList());
        QCOMPARE(QDir(store + "/containers").entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    }

    // The built-in busybox is a real image of the store, seeded from the OCI layout
    // made at build time, and `hoodctl run` without --image still uses the directory.
    void builtinBusybox()
    {
        const QString store = work() + "/store-busybox";
        Result r = hood(store, {"run", "--image", "busybox", "--", "cat", "/etc/hostname"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out, QString("hood\n"));
        Result i = hood(store, {"images", "--json"});
        QVERIFY2(i.out.contains("busybox:latest"), qPrintable(i.out));
        Result plain = hood(work() + "/store-untouched", {"run", "--", "true"});
        QCOMPARE(plain.code, 0);
        QVERIFY(!QFile::exists(work() + "/store-untouched"));
    }

    void cleanupTestCase()
    {
        qunsetenv("HOOD_STORE");
        run(root(), {"gc"});
    }
};

QTEST_GUILESS_MAIN(TestImages)
#include "tst_images.moc"
