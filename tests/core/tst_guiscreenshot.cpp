// `hood --screenshot FILE`: the desktop app starts, lays out its main window and
// renders it to a PNG with no display at all (later GUI tests and the docs rely on it).
// hood runs with a configuration directory of its own: the person's settings (the
// lessons dock left open, a theme) would change the window that is rendered.
#include <QtTest>

#include <QtEndian>

namespace {

const QString kHood = QStringLiteral(HOOD_BINARY_DIR "/app/gui/hood");

int runHood(const QStringList &args, QString *err)
{
    QTemporaryDir config;
    if (!config.isValid()) {
        *err = QStringLiteral("cannot make a temporary directory for hood's settings");
        return -1;
    }
    // Not a first run: the welcome and the lessons dock it opens are tst_firstrun's;
    // here the window alone, at the size asked for.
    QDir().mkpath(config.filePath("Hood"));
    QFile conf(config.filePath("Hood/Hood.conf"));
    if (!conf.open(QIODevice::WriteOnly) || conf.write("[welcome]\nshown=true\n[view]\nlessons=false\n") < 0) {
        *err = QStringLiteral("cannot write hood's settings in ") + config.path();
        return -1;
    }
    conf.close();
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_CONFIG_HOME", config.path());
    env.remove("QT_QPA_PLATFORM"); // hood must choose offscreen by itself
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    p.setProcessEnvironment(env);
    p.start(kHood, args);
    if (!p.waitForFinished(60000))
        p.kill();
    *err = QString::fromLocal8Bit(p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace

class TestGuiScreenshot : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void rendersTheMainWindow();
    void saysWhenTheFileCannotBeWritten();
};

void TestGuiScreenshot::initTestCase()
{
    if (!QFileInfo(kHood).isExecutable())
        QSKIP("app/gui/hood is not built (HOOD_BUILD_GUI=OFF or the hood target was not built)");
}

void TestGuiScreenshot::rendersTheMainWindow()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath("hood.png");
    QString err;
    QCOMPARE(runHood({"--screenshot", png, "--size", "1280x720"}, &err), 0);
    QFile file(png);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable("no PNG written; stderr: " + err));
    const QByteArray bytes = file.readAll();
    // The signature, then the IHDR chunk: width and height, big-endian, at 16 and 20.
    QVERIFY(bytes.startsWith("\x89PNG\r\n\x1a\n") && bytes.mid(12, 4) == "IHDR");
    QCOMPARE(qFromBigEndian<quint32>(bytes.constData() + 16), 1280u);
    QCOMPARE(qFromBigEndian<quint32>(bytes.constData() + 20), 720u);
    // Text compresses badly: the window with its welcome text is about 80 KiB, a
    // window whose fonts are missing (no glyphs drawn) a fraction of that.
    QVERIFY2(bytes.size() > 40 * 1024, qPrintable(QString::number(bytes.size()) + " bytes"));
}

void TestGuiScreenshot::saysWhenTheFileCannotBeWritten()
{
    QString err;
    QCOMPARE(runHood({"--screenshot", "/nonexistent-dir/hood.png"}, &err), 1);
    QVERIFY2(err.contains("cannot write the screenshot to /nonexistent-dir/hood.png"),
             qPrintable(err));
}

QTEST_GUILESS_MAIN(TestGuiScreenshot)
#include "tst_guiscreenshot.moc"
