// The built-in image "busybox" as the build made it (build/images/busybox): a rootfs
// a container can run in without anything from the host, and its image.json.
#include <QtTest>

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

const QString kImage = QStringLiteral(HOOD_BINARY_DIR "/images/busybox");
const QString kRootfs = kImage + "/rootfs";

// True when the ELF file has no PT_INTERP header, i.e. needs no dynamic loader.
bool isStaticElf(const QString &path, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = path + ": " + file.errorString();
        return false;
    }
    const QByteArray bytes = file.readAll();
    Elf64_Ehdr header{};
    if (size_t(bytes.size()) < sizeof header || !bytes.startsWith(ELFMAG)) {
        *why = path + ": not an ELF file";
        return false;
    }
    memcpy(&header, bytes.constData(), sizeof header);
    for (int i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr ph{};
        const qsizetype at = qsizetype(header.e_phoff + size_t(i) * header.e_phentsize);
        if (at + qsizetype(sizeof ph) > bytes.size())
            break;
        memcpy(&ph, bytes.constData() + at, sizeof ph);
        if (ph.p_type == PT_INTERP) {
            *why = path + ": dynamically linked";
            return false;
        }
    }
    return true;
}

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The link's text as stored (QFileInfo resolves it).
QString rawLink(const QString &path)
{
    char target[4096];
    const ssize_t n = readlink(QFile::encodeName(path).constData(), target, sizeof target);
    return n < 0 ? QString() : QString::fromLocal8Bit(target, n);
}

mode_t modeOf(const QString &path)
{
    struct stat st {};
    return lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode : 0;
}

} // namespace

class TestBusyboxImage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void binariesAreStatic_data();
    void binariesAreStatic();
    void directories_data();
    void directories();
    void everyAppletLinksToTheImagesBusybox();
    void etcFiles();
    void imageJson();
};

void TestBusyboxImage::initTestCase()
{
    QVERIFY2(QFileInfo::exists(kImage + "/image.json"),
             qPrintable(kImage + " is missing: build the image-busybox target first"));
}

void TestBusyboxImage::binariesAreStatic_data()
{
    QTest::addColumn<QString>("path");
    QTest::addRow("busybox") << "/bin/busybox";
    QTest::addRow("hood-demo") << "/usr/local/bin/hood-demo";
}

void TestBusyboxImage::binariesAreStatic()
{
    QFETCH(QString, path);
    QString why;
    QVERIFY2(isStaticElf(kRootfs + path, &why), qPrintable(why));
    QVERIFY(QFileInfo(kRootfs + path).isExecutable());
}

void TestBusyboxImage::directories_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("mode");
    QTest::addRow("tmp") << "/tmp" << 01777;
    QTest::addRow("var-tmp") << "/var/tmp" << 01777;
    QTest::addRow("root") << "/root" << 0700;
    for (const char *dir : {"/proc", "/sys", "/dev", "/run", "/etc", "/home", "/mnt"})
        QTest::addRow("%s", dir + 1) << QString::fromLatin1(dir) << 0755;
}

void TestBusyboxImage::directories()
{
    QFETCH(QString, path);
    QFETCH(int, mode);
    const mode_t actual = modeOf(kRootfs + path);
    QVERIFY2(S_ISDIR(actual), qPrintable(path + " is not a directory"));
    QCOMPARE(int(actual & 07777), mode);
    if (path == "/proc" || path == "/sys" || path == "/dev") // mount points stay empty
        QVERIFY(
            QDir(kRootfs + path).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System));
}

// Every applet busybox knows has a link, and each link resolves (seen from the host,
// so relative) to the image's own busybox, never to the host's.
void TestBusyboxImage::everyAppletLinksToTheImagesBusybox()
{
    QProcess list;
    list.start(kRootfs + "/bin/busybox", {"--list-full"});
    QVERIFY(list.waitForFinished(10000));
    const QStringList applets =
        QString::fromLatin1(list.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QVERIFY2(applets.size() > 100, "busybox --list-full printed too few applets");
    const QString busybox = QFileInfo(kRootfs + "/bin/busybox").canonicalFilePath();
    int links = 0;
    for (const QString &applet : applets) {
        if (applet == "linuxrc" || applet == "bin/busybox")
            continue;
        const QFileInfo link(kRootfs + "/" + applet);
        QVERIFY2(link.isSymLink(), qPrintable(applet + " is not a link"));
        QVERIFY2(!rawLink(link.filePath()).startsWith('/'), qPrintable(applet + " is absolute"));
        QCOMPARE(link.canonicalFilePath(), busybox);
        ++links;
    }
    QVERIFY(QFileInfo(kRootfs + "/bin/sh").isSymLink());
    QVERIFY(links > 100);
}

void TestBusyboxImage::etcFiles()
{
    const QString passwd = readText(kRootfs + "/etc/passwd");
    QVERIFY(passwd.contains(QRegularExpression("^root:x:0:0:[^\n]*:/root:/bin/sh$",
                                               QRegularExpression::MultilineOption)));
    QVERIFY(passwd.contains(
        QRegularExpression("^nobody:x:65534:65534:", QRegularExpression::MultilineOption)));
    QVERIFY(readText(kRootfs + "/etc/group").startsWith("root:x:0:\n"));
    QCOMPARE(readText(kRootfs + "/etc/hostname"), QStringLiteral("hood\n"));
    QVERIFY(readText(kRootfs + "/etc/hosts")
                .contains(QRegularExpression("^127\\.0\\.0\\.1\\s+localhost",
                                             QRegularExpression::MultilineOption)));
    QVERIFY(readText(kRootfs + "/etc/os-release").contains("\nID=hood-busybox\n"));
}

void TestBusyboxImage::imageJson()
{
    QJsonParseError error{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(readText(kImage + "/image.json").toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject image = doc.object();
    QCOMPARE(image.value("name").toString(), QStringLiteral("busybox"));
    QCOMPARE(image.value("rootfs").toString(), QStringLiteral("rootfs"));
    QVERIFY(image.value("createdFrom").toString().startsWith("BusyBox v"));
    const QJsonObject config = image.value("config").toObject();
    QCOMPARE(config.value("Cmd").toArray(), QJsonArray{"sh"});
    const QJsonArray env = config.value("Env").toArray();
    QVERIFY(!env.isEmpty() && env.first().toString().startsWith("PATH="));
    // hood-demo is found on that PATH.
    bool found = false;
    for (const QString &dir : env.first().toString().mid(5).split(':'))
        found = found || QFileInfo(kRootfs + dir + "/hood-demo").isExecutable();
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(TestBusyboxImage)
#include "tst_busyboximage.moc"
