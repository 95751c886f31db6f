// The namespace drawing keeps every name inside its chip: a long container name is
// elided (the chip's tooltip has it whole), also drawn bold when selected and at a
// presentation font size, and one long name does not widen every lane.
#include "pages/namespacediagram.h"

#include <QApplication>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QTest>

using namespace hood::gui;

namespace {

// The host and three containers: two share every namespace but pid, one is private.
NamespaceSnapshot snapshot(const QStringList &names)
{
    NamespaceSnapshot s;
    s.hostReference = "pid 1";
    auto set = [](uint64_t base, uint64_t pidInode) {
        hood::inspect::NsSet ns {};
        for (size_t k = 0; k < ns.size(); ++k) {
            ns[k].kind = hood::NsKind(k);
            ns[k].state = hood::inspect::NsState::Ok;
            ns[k].id = {k == 0 ? pidInode : base + k, 4};
        }
        return ns;
    };
    s.participants << NamespaceParticipant {"host", 1, true, set(4026531830, 4026531836)};
    uint64_t n = 0;
    for (const QString &name : names) {
        ++n;
        s.participants << NamespaceParticipant {name, int(1000 + n), false, set(n == 3 ? 4026532900 : 4026532800, 4026532700 + n)};
    }
    return s;
}

} // namespace

class TestNamespaceDiagram : public QObject {
    Q_OBJECT
private slots:
    void namesStayInTheirChips_data();
    void namesStayInTheirChips();
};

void TestNamespaceDiagram::namesStayInTheirChips_data()
{
    QTest::addColumn<QString>("longName");
    QTest::addColumn<QString>("selected");
    QTest::addColumn<double>("fontScale");
    const QString name = "classroom-demo-container-with-a-very-long-name";
    QTest::addRow("long name") << name << QString() << 1.0;
    QTest::addRow("long name, selected (bold)") << name << name << 1.0;
    QTest::addRow("wide letters, selected, presentation font") << QString(40, 'W') << QString(40, 'W') << 1.75;
    QTest::addRow("short names") << QString("web") << QString("web") << 1.0;
}

void TestNamespaceDiagram::namesStayInTheirChips()
{
    QFETCH(QString, longName);
    QFETCH(QString, selected);
    QFETCH(double, fontScale);
    const QFont saved = QApplication::font();
    QFont f = saved;
    f.setPointSizeF(saved.pointSizeF() * fontScale);
    QApplication::setFont(f);

    NamespaceDiagram scene;
    scene.draw(snapshot({longName, "db", "worker-7"}), selected);
    QCOMPARE(scene.laneCount(), 8);
    int names = 0;
    for (QGraphicsItem *item : scene.items()) {
        auto *text = qgraphicsitem_cast<QGraphicsSimpleTextItem *>(item);
        if (!text || !text->toolTip().startsWith("container"))
            continue;
        // Its chip: the rectangle with the same tooltip under the text's centre.
        QGraphicsRectItem *chip = nullptr;
        for (QGraphicsItem *under : scene.items(text->sceneBoundingRect().center())) {
            auto *r = qgraphicsitem_cast<QGraphicsRectItem *>(under);
            if (r && r->toolTip() == text->toolTip())
                chip = r;
        }
        QVERIFY2(chip, qPrintable("no chip under " + text->text()));
        const QRectF inner = chip->sceneBoundingRect();
        QVERIFY2(inner.contains(text->sceneBoundingRect()),
                 qPrintable(QString("\"%1\" (%2 px) overflows its chip (%3 px)")
                                .arg(text->text())
                                .arg(text->sceneBoundingRect().width())
                                .arg(inner.width())));
        ++names;
    }
    QCOMPARE(names, 3 * 8);
    QApplication::setFont(saved);
}

QTEST_MAIN(TestNamespaceDiagram)
#include "tst_namespacediagram.moc"
