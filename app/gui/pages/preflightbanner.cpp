#include "preflightbanner.h"

#include "preflightmodel.h"
#include "theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

// Short enough that seven fit beside each other in a 1024-pixel window; the
// tooltips and the details table have the full sentences.
QString chipText(const PreflightItem &it)
{
    // One word each, so that the row fits at presentation size (1280x720 with
    // the large font) too; the status line names the cgroup mode in full.
    if (it.key == QLatin1String("privileges"))
        return it.level == PreflightItem::Level::Ok ? QObject::tr("root") : QObject::tr("rootless");
    if (it.key == QLatin1String("userns"))
        return QObject::tr("userns");
    return it.title.section(QLatin1Char(' '), 0, 0);
}

// A chip: its mark and words on a rounded patch of colour. When the row is too
// narrow (large presentation fonts on a 1280-pixel projector) the words end in
// "…" instead of being cut; the tooltip and the accessible name keep them whole.
class Chip : public QWidget {
public:
    Chip(const QString &text, const QColor &fill, QWidget *parent) : QWidget(parent), m_text(text), m_fill(fill)
    {
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        setAccessibleName(text);
    }

    QSize sizeHint() const override
    {
        const QFontMetrics fm = fontMetrics();
        return {fm.horizontalAdvance(m_text) + 2 * kPad, fm.height() + 4};
    }
    QSize minimumSizeHint() const override
    {
        // The mark and the first letters stay readable.
        const QFontMetrics fm = fontMetrics();
        return {std::min(sizeHint().width(), fm.horizontalAdvance(m_text.left(4) + QStringLiteral("…")) + 2 * kPad),
                sizeHint().height()};
    }

protected:
    void changeEvent(QEvent *event) override
    {
        QWidget::changeEvent(event);
        if (event->type() == QEvent::FontChange)
            updateGeometry();
    }
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(m_fill);
        p.drawRoundedRect(rect(), 4, 4);
        p.setPen(palette().color(QPalette::Text));
        const QRect inner = rect().adjusted(kPad, 0, -kPad, 0);
        // elidedText() measures a little wider than horizontalAdvance() (the mark
        // comes from a fallback font): elide only when the chip is really short.
        const bool fits = fontMetrics().horizontalAdvance(m_text) <= inner.width();
        p.drawText(inner, Qt::AlignVCenter | Qt::AlignLeft,
                   fits ? m_text : fontMetrics().elidedText(m_text, Qt::ElideRight, inner.width()));
    }

private:
    static constexpr int kPad = 6;
    QString m_text;
    QColor m_fill;
};

} // namespace

PreflightBanner::PreflightBanner(QWidget *parent) : QFrame(parent), m_model(new PreflightModel(this))
{
    setFrameShape(QFrame::StyledPanel);
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(6, 3, 6, 3);
    auto *row = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>This machine:</b>"), this);
    row->addWidget(title);
    m_chips = new QHBoxLayout;
    m_chips->setSpacing(6);
    row->addLayout(m_chips);
    row->addStretch();
    m_details = new QPushButton(tr("&Details"), this);
    m_details->setCheckable(true);
    m_details->setToolTip(tr("Why, and how to fix what is missing"));
    row->addWidget(m_details);
    v->addLayout(row);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(true);
    m_table->horizontalHeader()->setSectionResizeMode(PreflightModel::Check, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(PreflightModel::Verdict, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(PreflightModel::Reason, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(PreflightModel::Fix, QHeaderView::Stretch);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->hide();
    v->addWidget(m_table);
    connect(m_details, &QPushButton::toggled, this, &PreflightBanner::setDetailsVisible);
}

void PreflightBanner::setItems(const QVector<PreflightItem> &items)
{
    m_model->setItems(items);
    rebuildChips();
}

void PreflightBanner::setDetailsVisible(bool visible)
{
    m_details->setChecked(visible);
    m_table->setVisible(visible);
    if (visible) {
        m_table->resizeRowsToContents();
        int h = m_table->horizontalHeader()->height() + 4;
        for (int r = 0; r < m_model->rowCount(); ++r)
            h += m_table->rowHeight(r);
        m_table->setFixedHeight(std::min(h, 320));
    }
}

void PreflightBanner::rebuildChips()
{
    while (QLayoutItem *item = m_chips->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QPalette pal = palette();
    // The four facts every container depends on always get a chip, and so does
    // anything that is not fine; the other fine ones share one "N more" chip, so
    // the row stays readable at 1024 px and on a projector.
    static const QStringList kAlways = {"privileges", "cgroups", "userns", "overlay"};
    QStringList quiet;
    for (const PreflightItem &it : m_model->items()) {
        if (it.level == PreflightItem::Level::Ok && !kAlways.contains(it.key)) {
            quiet << QStringLiteral("✔ %1: %2").arg(it.title, it.verdict);
            continue;
        }
        const char *mark = it.level == PreflightItem::Level::Ok ? "✔" : it.level == PreflightItem::Level::Limited ? "◐" : "✘";
        const QString text = QStringLiteral("%1 %2").arg(QString::fromUtf8(mark), chipText(it));
        const QColor bg = it.level == PreflightItem::Level::Ok        ? theme::privateFill(pal)
                          : it.level == PreflightItem::Level::Limited ? theme::groupFill(pal)
                                                                      : theme::alertColor(pal).lighter(theme::isDark(pal) ? 60 : 170);
        auto *chip = new Chip(text, bg, this);
        chip->setToolTip(text + "\n" + it.reason + (it.fix.isEmpty() ? QString() : "\n" + tr("Fix: %1").arg(it.fix)));
        m_chips->addWidget(chip);
        chip->show(); // added after the banner was shown: not visible by itself
    }
    if (!quiet.isEmpty()) {
        auto *more = new Chip(QString::fromUtf8("✔ ") + tr("%n more", nullptr, int(quiet.size())),
                              theme::privateFill(pal), this);
        more->setToolTip(quiet.join('\n') + "\n" + tr("Details lists every check."));
        m_chips->addWidget(more);
        more->show();
    }
}

void PreflightBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    // New chips pick up the new colours and font; a chip whose font grows in place
    // kept its old width in the layout.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        rebuildChips();
}

} // namespace hood::gui
