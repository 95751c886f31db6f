#include "measureplot.h"

#include <QResizeEvent>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace hood::gui {

namespace {

constexpr double kBarWidth = 0.6;

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

QString formatMeasure(double value, const QString &unit)
{
    const int decimals = value >= 100 || value == 0 ? 0 : value >= 10 ? 1 : 2;
    const QString number = QString::number(value, 'f', decimals);
    return unit.isEmpty() ? number : number + ' ' + unit;
}

MeasurePlot::MeasurePlot(QWidget *parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    setObjectName("measurePlot");
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setInteractions({});
}

QSize MeasurePlot::sizeHint() const
{
    const int line = fontMetrics().height();
    // A line and a half per bar, and room for the value axis.
    return {320, int(line * (3.5 + 1.6 * double(std::max<qsizetype>(1, m_bars.size()))))};
}

void MeasurePlot::setBars(const QList<MeasureBar> &bars, const QString &unit)
{
    m_bars = bars;
    m_unit = unit;
    setMinimumHeight(sizeHint().height());
    rebuild();
    updateGeometry();
}

void MeasurePlot::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange) {
        setMinimumHeight(sizeHint().height());
        rebuild();
    }
}

void MeasurePlot::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (event->oldSize().width() != width())
        rebuild();
}

void MeasurePlot::rebuild()
{
    m_plot->clearPlottables();
    m_plot->clearItems();
    const QPalette pal = palette();
    m_plot->setBackground(pal.base());
    QCPAxis *rows = m_plot->yAxis;
    QCPAxis *values = m_plot->xAxis;
    styleAxis(rows, pal, font());
    styleAxis(values, pal, font());
    rows->grid()->setVisible(false);
    rows->setRangeReversed(true);
    rows->setTickLength(0, 0);
    rows->setSubTicks(false);
    const int n = int(m_bars.size());
    rows->setRange(-0.6, std::max(1, n) - 0.4);
    double top = 0;
    for (const MeasureBar &b : m_bars)
        top = std::max(top, b.value);
    // Room after the longest bar for its value ("4476 ms" in a presentation font
    // needs most of a narrow dock's axis).
    values->setRange(0, std::max(top, 1e-9) * 1.9);
    // Each bar carries its value and unit; tick labels only ran into each other in
    // the dock's width (tried at 1920x1080 in presentation mode).
    values->setTickLabels(false);
    values->setLabel(m_unit);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    QVector<double> keys, lengths;
    // A label wider than two fifths of the plot would push the bars out of the dock.
    const int labelWidth = std::max(100, width() * 2 / 5);
    for (int i = 0; i < n; ++i) {
        ticker->addTick(i, QFontMetrics(font()).elidedText(m_bars[i].label, Qt::ElideRight, labelWidth));
        keys << i;
        lengths << m_bars[i].value;
    }
    rows->setTicker(ticker);
    auto *bars = new QCPBars(rows, values);
    bars->setWidth(kBarWidth);
    const QColor fill = pal.color(QPalette::Highlight);
    bars->setBrush(fill);
    bars->setPen(QPen(fill.darker(130), 1));
    bars->setData(keys, lengths, true);
    for (int i = 0; i < n; ++i) {
        auto *label = new QCPItemText(m_plot);
        label->position->setCoords(m_bars[i].value + top / 100, i);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->setFont(font());
        label->setColor(pal.color(QPalette::Text));
        label->setText(formatMeasure(m_bars[i].value, m_unit));
        label->setClipToAxisRect(false);
    }
    m_plot->replot();
}

} // namespace hood::gui
