#include "namespacediagram.h"

#include "namespacemodel.h"
#include "theme.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPalette>
#include <QPen>

namespace hood::gui {

QVector<NamespaceGroup> groupLane(const NamespaceSnapshot &snapshot, NsKind kind)
{
    QVector<NamespaceGroup> groups;
    for (int i = 0; i < snapshot.participants.size(); ++i) {
        const NamespaceParticipant &p = snapshot.participants[i];
        const inspect::NsEntry &e = p.set[size_t(kind)];
        const bool known = e.state == inspect::NsState::Ok;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const NamespaceGroup &g) { return known && g.known && g.id == e.id; });
        if (it == groups.end()) {
            groups << NamespaceGroup {e.id, known, {}, false};
            it = groups.end() - 1;
        }
        it->members << i;
        it->hasHost = it->hasHost || p.isHost;
    }
    return groups;
}

namespace {

struct Metrics {
    QFont font;
    QFont small;
    qreal line;     // text height
    qreal pad;      // inner padding
    qreal labelW;   // lane label column
    qreal chipW;
    qreal laneH;
    qreal nameMax;  // the widest a name is drawn; longer ones are elided
};

Metrics metrics(const NamespaceSnapshot &snapshot)
{
    Metrics m;
    m.font = QApplication::font();
    // The page scales the drawing down to fit (NamespacesPage::fit); hinted glyphs
    // do not shrink with it and ran past their chips. Unhinted outlines scale exactly.
    m.font.setHintingPreference(QFont::PreferNoHinting);
    m.font.setStyleStrategy(QFont::ForceOutline);
    m.small = m.font;
    m.small.setPointSizeF(m.font.pointSizeF() * 0.85);
    const QFontMetricsF fm(m.font);
    m.line = fm.height();
    m.pad = m.line * 0.3;
    m.labelW = fm.horizontalAdvance(QStringLiteral("cgroup ")) + 2 * m.pad;
    // Names are drawn bold when selected (and the host always): measure them bold,
    // or a selected name overflows its chip. A long name is elided (its chip's
    // tooltip has it whole) so one container cannot widen every lane.
    QFont bold = m.font;
    bold.setBold(true);
    const QFontMetricsF fb(bold);
    m.nameMax = fb.horizontalAdvance(QStringLiteral("MMMMMMMMMMMM"));
    qreal widest = fb.horizontalAdvance(QStringLiteral("host"));
    for (const NamespaceParticipant &p : snapshot.participants)
        widest = std::max(widest, std::min(m.nameMax, fb.horizontalAdvance(p.name)));
    // A little room beyond the measured width, for the rounding of a scaled font.
    m.chipW = 1.08 * std::max(widest, QFontMetricsF(m.small).horizontalAdvance(QStringLiteral("4026531840"))) + 2 * m.pad;
    m.laneH = 2.1 * m.line + 4 * m.pad;
    return m;
}

QString groupWord(const NamespaceGroup &g, int participants)
{
    if (!g.known)
        return QObject::tr("unreadable");
    if (g.hasHost && g.members.size() == 1)
        return QObject::tr("the host's");
    if (g.hasHost)
        return g.members.size() == participants ? QObject::tr("shared by all") : QObject::tr("shared with host");
    return g.members.size() == 1 ? QObject::tr("private") : QObject::tr("shared by containers");
}

QColor groupColor(const NamespaceGroup &g, const QPalette &pal)
{
    if (g.hasHost || !g.known)
        return theme::sharedFill(pal);
    return g.members.size() == 1 ? theme::privateFill(pal) : theme::groupFill(pal);
}

} // namespace

void NamespaceDiagram::draw(const NamespaceSnapshot &snapshot, const QString &selected, const QString &highlightKind)
{
    clear();
    const QPalette pal = QApplication::palette();
    setBackgroundBrush(pal.base());
    m_lanes = 0;
    qreal y = 0;
    for (const NsInfo &info : kNamespaces) {
        y = drawLane(snapshot, info.kind, y, selected, kindKey(info.kind) == highlightKind);
        ++m_lanes;
    }
    setSceneRect(itemsBoundingRect().adjusted(-8, -8, 8, 8));
}

qreal NamespaceDiagram::drawLane(const NamespaceSnapshot &snapshot, NsKind kind, qreal y, const QString &selected,
                                 bool highlighted)
{
    const QPalette pal = QApplication::palette();
    const Metrics m = metrics(snapshot);
    const QColor text = pal.color(QPalette::Text);
    const NsInfo &info = nsInfo(kind);
    const QString tip = QString::fromUtf8(info.explanation.data(), qsizetype(info.explanation.size()));

    auto *lane = addRect(0, y, 10, m.laneH, QPen(pal.color(QPalette::Mid), 1),
                         highlighted ? QBrush(theme::addedFill(pal)) : QBrush(pal.color(QPalette::AlternateBase)));
    lane->setToolTip(tip);
    auto *label = addSimpleText(kindKey(kind), m.font);
    QFont bold = m.font;
    bold.setBold(true);
    label->setFont(bold);
    label->setBrush(text);
    label->setPos(m.pad, y + (m.laneH - m.line) / 2);
    label->setToolTip(tip);

    qreal x = m.labelW;
    const QVector<NamespaceGroup> groups = groupLane(snapshot, kind);
    for (const NamespaceGroup &g : groups) {
        const QString word = groupWord(g, int(snapshot.participants.size()));
        const QString captionText = word + (g.known ? QStringLiteral("  ·  %1").arg(g.id.inode) : QString());
        const qreal wordW = 1.08 * QFontMetricsF(m.small).horizontalAdvance(captionText) + 2 * m.pad;
        const qreal boxW = std::max(g.members.size() * (m.chipW + m.pad) + m.pad, wordW);
        auto *box = addRect(x, y + m.pad, boxW, m.laneH - 2 * m.pad, QPen(text, 1), groupColor(g, pal));
        box->setToolTip(g.known ? tr("%1 namespace, inode %2: %3").arg(kindKey(kind)).arg(g.id.inode).arg(word) : word);
        auto *caption = addSimpleText(captionText, m.small);
        caption->setBrush(text);
        caption->setPos(x + m.pad, y + m.pad * 1.3);
        qreal cx = x + m.pad;
        for (int idx : g.members) {
            const NamespaceParticipant &p = snapshot.participants[idx];
            const bool sel = p.name == selected;
            QPen pen(sel ? pal.color(QPalette::Highlight) : text, sel ? 3 : 1);
            auto *chip = addRect(cx, y + m.pad + m.line * 1.05, m.chipW, m.line * 1.15, pen, pal.base());
            chip->setToolTip(p.isHost ? tr("the host (%1)").arg(snapshot.hostReference)
                                      : tr("container %1, host pid %2").arg(p.name).arg(p.pid));
            QFont f = m.font;
            f.setBold(sel || p.isHost);
            const QString shown = QFontMetricsF(f).elidedText(p.name, Qt::ElideMiddle, m.nameMax);
            auto *name = addSimpleText(shown, m.font);
            name->setToolTip(chip->toolTip());
            name->setFont(f);
            name->setBrush(text);
            name->setPos(cx + m.pad, y + m.pad + m.line * 1.1);
            cx += m.chipW + m.pad;
        }
        x += boxW + m.pad * 2;
    }
    lane->setRect(0, y, std::max(x, m.labelW + 200), m.laneH);
    return y + m.laneH + m.pad;
}

} // namespace hood::gui
