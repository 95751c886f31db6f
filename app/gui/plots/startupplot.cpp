#include "startupplot.h"

#include "theme.h"

#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace hood::gui {

namespace {

constexpr double kBarWidth = 0.7; // of a row
const QString kCross = QStringLiteral("\u2717 "); // ✗

QString fullLabel(const StartStep &s)
{
    return (s.failed() ? kCross : QString()) + s.op + (s.args.isEmpty() ? QString() : ' ' + s.args);
}

QString resultText(const StartStep &s)
{
    if (!s.failed())
        return QObject::tr("ok");
    const QString what = s.result.isEmpty() || s.result == QLatin1String("ok") ? QObject::tr("failed") : s.result;
    return s.error ? QObject::tr("%1 (errno %2)").arg(what).arg(s.error) : what;
}

void styleAxis(QCPAxis *axis, const QPalette &pal, const QFont &font)
{
    const QColor text = pal.color(QPalette::Text);
    axis->setBasePen(QPen(text, 1));
    axis->setTickPen(QPen(text, 1));
    axis->setSubTickPen(QPen(text, 1));
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->setTickLabelFont(font);
    axis->setLabelFont(font);
    axis->grid()->setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
}

} // namespace

QString stepToolTip(const StartStep &s)
{
    const StartPhase &phase = startPhase(s.phase);
    QString phaseText = QString::fromLatin1(phase.title);
    if (s.phase == QLatin1String("other") && !s.rawPhase.isEmpty())
        phaseText += QStringLiteral(" (\u201c%1\u201d)").arg(s.rawPhase);
    return QObject::tr("<b>%1</b> %2<br>result: %3<br>phase: %4, %5<br>process: %6<br>began at %7, took %8")
        .arg(s.op.toHtmlEscaped(), s.args.toHtmlEscaped(), resultText(s).toHtmlEscaped(), phaseText.toHtmlEscaped(),
             QString::fromLatin1(phase.explanation), s.process.isEmpty() ? QObject::tr("unknown") : s.process.toHtmlEscaped(),
             formatMicros(s.startUs), formatMicros(s.durationUs));
}

StartupPlot::StartupPlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(m_plot);
    m_plot->setMouseTracking(true);
    m_plot->xAxis2->setVisible(true);
    connect(m_plot, &QCustomPlot::mouseMove, this, &StartupPlot::showToolTip);
    rebuild();
}

void StartupPlot::setTrace(const StartTrace &trace)
{
    m_trace = trace;
    m_fullLabels.clear();
    for (const StartStep &s : m_trace.steps)
        m_fullLabels << fullLabel(s);
    rebuild();
}

int StartupPlot::labelWidth() const
{
    const QFontMetrics fm(font());
    return std::max(fm.averageCharWidth() * 12, std::min(width() * 2 / 5, fm.averageCharWidth() * 52));
}

QString StartupPlot::rowLabel(int row) const
{
    const QFontMetrics fm(font());
    return fm.elidedText(m_fullLabels.value(row), Qt::ElideMiddle, m_labelWidth > 0 ? m_labelWidth : labelWidth());
}

int StartupPlot::preferredHeight() const
{
    const QFontMetrics fm(font());
    return int(m_trace.steps.size()) * (fm.height() + 8) + 6 * fm.height() + 20;
}

// Bars as a stack: an invisible bar from 0 to each step's start, then one bar set
// per phase on top of it, so the legend and the colours come from the phase table.
void StartupPlot::rebuild()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    const QPalette pal = palette();
    m_plot->setBackground(pal.base());
    QCPAxis *rows = m_plot->yAxis;
    QCPAxis *time = m_plot->xAxis;
    for (QCPAxis *axis : {rows, time, m_plot->xAxis2})
        styleAxis(axis, pal, font());
    rows->grid()->setVisible(false);
    rows->setRangeReversed(true);
    rows->setTickLength(0, 0);
    rows->setSubTicks(false);
    const int n = int(m_trace.steps.size());
    rows->setRange(-0.6, std::max(1, n) - 0.4);
    const double totalMs = std::max(m_trace.totalUs / 1000, 0.001);
    // Room after the longest bar for its duration or its error.
    time->setRange(0, totalMs * 1.25);
    time->setLabel(tr("ms since the launch began"));
    m_plot->xAxis2->setRange(time->range());
    m_plot->xAxis2->setTickLabels(true);
    // Labelled at the top too: that is where a reader starts, and a long start scrolls.
    m_plot->xAxis2->setLabel(tr("ms since the launch began"));
    connect(time, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), m_plot->xAxis2,
            qOverload<const QCPRange &>(&QCPAxis::setRange), Qt::UniqueConnection);

    auto *offset = new QCPBars(rows, time);
    offset->setPen(Qt::NoPen);
    offset->setBrush(Qt::NoBrush);
    offset->setWidth(kBarWidth);
    offset->setSelectable(QCP::stNone);
    // A step of a few microseconds still gets a visible bar; its tooltip and label
    // say how long it really took.
    const double minMs = totalMs / 90;
    QCPBars *below = offset;
    for (const StartPhase &phase : startPhases()) {
        QVector<double> keys, widths;
        for (int i = 0; i < n; ++i) {
            const StartStep &s = m_trace.steps[i];
            if (s.phase == QLatin1String(phase.key)) {
                keys << i;
                widths << std::max(s.durationUs / 1000, minMs);
            }
        }
        if (keys.isEmpty())
            continue;
        auto *bars = new QCPBars(rows, time);
        bars->setName(QString::fromLatin1(phase.title));
        bars->setWidth(kBarWidth);
        bars->setBrush(phase.color);
        bars->setPen(QPen(theme::isDark(pal) ? phase.color.lighter(140) : phase.color.darker(140), 1));
        bars->setData(keys, widths, true);
        bars->moveAbove(below);
        below = bars;
    }
    QVector<double> keys, starts;
    for (int i = 0; i < n; ++i) {
        keys << i;
        starts << m_trace.steps[i].startUs / 1000;
    }
    offset->setData(keys, starts, true);

    const QColor alert = theme::alertColor(pal);
    for (int i = 0; i < n; ++i) {
        const StartStep &s = m_trace.steps[i];
        const double end = s.startUs / 1000 + std::max(s.durationUs / 1000, minMs);
        auto *label = new QCPItemText(m_plot);
        label->position->setCoords(end + totalMs / 150, i);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->setFont(font());
        label->setColor(s.failed() ? alert : pal.color(QPalette::Text));
        label->setText(s.failed() ? kCross + resultText(s) : formatMicros(s.durationUs));
        label->setClipToAxisRect(false);
        if (!s.failed())
            continue;
        auto *mark = new QCPItemRect(m_plot);
        mark->topLeft->setCoords(s.startUs / 1000, i - kBarWidth / 2 - 0.08);
        mark->bottomRight->setCoords(end, i + kBarWidth / 2 + 0.08);
        mark->setPen(QPen(alert, 2.5));
    }
    m_labelWidth = -1;
    updateGeometry();
    applyLabels();
}

void StartupPlot::applyLabels()
{
    const int width = labelWidth();
    if (width == m_labelWidth)
        return;
    m_labelWidth = width;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < m_fullLabels.size(); ++i)
        ticker->addTick(i, rowLabel(i));
    m_plot->yAxis->setTicker(ticker);
    m_plot->replot();
}

void StartupPlot::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    applyLabels();
}

void StartupPlot::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        rebuild();
}

int StartupPlot::rowAt(const QPoint &pos) const
{
    const QRect rect = m_plot->axisRect()->rect();
    if (pos.y() < rect.top() || pos.y() > rect.bottom())
        return -1;
    const int row = int(std::lround(m_plot->yAxis->pixelToCoord(pos.y())));
    return row >= 0 && row < m_trace.steps.size() ? row : -1;
}

QString StartupPlot::toolTipAt(const QPoint &pos) const
{
    const int row = rowAt(m_plot->mapFrom(this, pos));
    return row < 0 ? QString() : stepToolTip(m_trace.steps[row]);
}

void StartupPlot::showToolTip(QMouseEvent *event)
{
    const QString tip = toolTipAt(m_plot->mapTo(this, event->pos()));
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, m_plot);
}

} // namespace hood::gui
