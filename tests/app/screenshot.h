// Shared by the window suites (tst_gui, tst_layerspage, tst_securitypage,
// tst_buildpage, tst_lessonsrun): screenshots into the build tree's screenshots/,
// to be looked at, and the offscreen screens presentation mode needs.
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScreen>
#include <QSize>
#include <QStandardPaths>
#include <QTest>
#include <QWidget>

#include <initializer_list>

namespace pagetest {

inline const QString kShots = QStringLiteral(HOOD_BINARY_DIR "/screenshots");

// Events first, so the grab shows the layout the last resize asked for.
inline void shoot(QWidget &w, const QString &name)
{
    QDir().mkpath(kShots);
    QCoreApplication::processEvents();
    const QString path = kShots + '/' + name + ".png";
    QVERIFY2(w.grab().save(path, "PNG"), qPrintable("cannot write " + path));
}

inline QString projectorName(QSize size)
{
    return QStringLiteral("projector-%1x%2").arg(size.width()).arg(size.height());
}

// The offscreen platform's screens, written to `file`: its usual 800x800 one first
// (so windows that do not ask for a projector stay as they were) when `with800`,
// then one named projectorName() per size, side by side.
inline bool writeScreensConfig(const QString &file, std::initializer_list<QSize> projectors, bool with800)
{
    auto screen = [](const QString &name, int x, QSize size) {
        return QJsonObject {{"name", name}, {"x", x}, {"y", 0}, {"width", size.width()}, {"height", size.height()},
                            {"logicalDpi", 96}, {"logicalBaseDpi", 96}, {"dpr", 1.0}};
    };
    QJsonArray screens;
    int x = 0;
    if (with800) {
        screens.append(screen(QString(), 0, {800, 800}));
        x = 800;
    }
    for (QSize size : projectors) {
        screens.append(screen(projectorName(size), x, size));
        x += size.width();
    }
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate)
           && f.write(QJsonDocument(QJsonObject {{"screens", screens}}).toJson()) > 0;
}

// For a suite's initMain(), before the application exists: settings (recent
// launches, the lessons dock, the theme) go to ~/.qttest, never to the person's
// own, and the offscreen platform is told about the screens (it reads them only at
// start-up).
inline void initOffscreen(const QString &file, std::initializer_list<QSize> projectors, bool with800)
{
    QStandardPaths::setTestModeEnabled(true);
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen" && writeScreensConfig(file, projectors, with800))
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + file.toLocal8Bit());
}

inline QScreen *screenNamed(const QString &name)
{
    for (QScreen *s : QGuiApplication::screens()) {
        if (s->name() == name)
            return s;
    }
    return nullptr;
}

} // namespace pagetest
