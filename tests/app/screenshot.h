// Shared by the page suites (tst_layerspage, tst_securitypage, tst_buildpage): a
// widget's screenshot into the build tree's screenshots/, to be looked at.
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QTest>
#include <QWidget>

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

} // namespace pagetest
