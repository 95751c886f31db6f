#include "resourcespage.h"

#include "containerlistmodel.h"
#include "plots/resourceplots.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTextDocument>
#include <QVBoxLayout>

namespace hood::gui {

QString historyCsv(const ResourceHistory &h)
{
    QString out = QStringLiteral("time_s,cpu_percent,memory_bytes,pids,throttled_ms_per_s\n");
    for (const ResourcePoint &p : h.points)
        out += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(p.time, 0, 'f', 3)
                   .arg(p.cpuPercent, 0, 'f', 2)
                   .arg(qint64(p.memory))
                   .arg(qint64(p.pids))
                   .arg(p.throttledMsPerSec, 0, 'f', 2);
    return out;
}

ResourcesPage::ResourcesPage(QWidget *parent) : QWidget(parent), m_plots(new ResourcePlots(this))
{
    auto *v = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    bar->addWidget(m_caption, 1);
    m_window = new QComboBox(this);
    for (int s : {30, 60, 120, 300, 600})
        m_window->addItem(s < 60 ? tr("last %1 s").arg(s) : tr("last %1 min").arg(s / 60), s);
    m_window->setCurrentIndex(2);
    m_window->setToolTip(tr("How much of the past the plots show"));
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        m_plots->setWindowSeconds(m_window->currentData().toDouble());
        emit redrawRequested();
    });
    bar->addWidget(m_window);
    m_pause = new QPushButton(tr("&Pause"), this);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the plots; sampling goes on"));
    connect(m_pause, &QPushButton::toggled, this, [this](bool on) {
        m_pause->setText(on ? tr("Res&ume") : tr("&Pause"));
        if (!on)
            emit redrawRequested();
    });
    bar->addWidget(m_pause);
    for (const QString &format : {QStringLiteral("PNG"), QStringLiteral("PDF"), QStringLiteral("CSV")}) {
        auto *b = new QPushButton(format, this);
        b->setToolTip(tr("Save the plots as %1").arg(format));
        connect(b, &QPushButton::clicked, this, [this, format] { exportTo(format); });
        bar->addWidget(b);
    }
    v->addLayout(bar);
    v->addWidget(m_plots, 1);
}

QString ResourcesPage::caption() const
{
    QTextDocument doc;
    doc.setHtml(m_caption->text());
    return doc.toPlainText().replace(QChar::Nbsp, QLatin1Char(' '));
}

bool ResourcesPage::paused() const
{
    return m_pause->isChecked();
}

void ResourcesPage::setCaption(const ResourceHistory *h)
{
    if (!h) {
        m_caption->setText(tr("Select or launch a container to see its cgroup live."));
        return;
    }
    QStringList parts;
    parts << tr("<b>%1</b>").arg(h->id.toHtmlEscaped());
    parts << (h->memoryLimit ? tr("memory limit %1").arg(formatMemory(*h->memoryLimit)) : tr("no memory limit"));
    parts << tr("peak %1").arg(formatMemory(h->memoryPeak));
    parts << (h->cpuLimit ? tr("CPU quota %1 %").arg(*h->cpuLimit, 0, 'f', 0) : tr("no CPU quota"));
    parts << (h->pidsMax ? tr("pids.max %1").arg(*h->pidsMax) : tr("no pids limit"));
    // What each limit did: a fork bomb shows in the refused forks, a CPU hog in the
    // throttled periods, a memory hog in the OOM kills.
    parts << tr("forks refused %1").arg(h->pidsLimitHits);
    parts << tr("throttled periods %1").arg(h->throttledPeriods);
    parts << tr("OOM kills %1").arg(std::max<qsizetype>(qsizetype(h->oomKills), h->oomKillTimes.size()));
    // Lines break only between the facts, never inside one ("pids.max" / "64").
    for (QString &part : parts)
        part.replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
    QString text = parts.join(QStringLiteral("&nbsp;· "));
    if (!h->problem.isEmpty())
        text += "<br>" + tr("Sampling ended: %1").arg(h->problem.toHtmlEscaped());
    m_caption->setText(text);
}

void ResourcesPage::showHistory(const ResourceHistory *history, double now)
{
    m_id = history ? history->id : QString();
    m_now = now;
    setCaption(history);
    m_plots->setHistory(history, now);
}

void ResourcesPage::update(const ResourceHistory &history, double now)
{
    m_now = now;
    if (paused())
        return;
    setCaption(&history);
    m_plots->append(history, now);
}

void ResourcesPage::exportTo(const QString &format)
{
    const QString base = m_id.isEmpty() ? QStringLiteral("hood-resources") : "hood-" + m_id;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(format),
                                                      base + '.' + format.toLower(),
                                                      tr("%1 files (*.%2)").arg(format, format.toLower()));
    if (path.isEmpty())
        return;
    bool ok = false;
    if (format == QLatin1String("PNG")) {
        ok = m_plots->savePng(path);
    } else if (format == QLatin1String("PDF")) {
        ok = m_plots->savePdf(path);
    } else {
        QFile f(path);
        const ResourceHistory *h = nullptr;
        emit historyWanted(&h);
        ok = h && f.open(QIODevice::WriteOnly | QIODevice::Truncate)
             && f.write(historyCsv(*h).toUtf8()) >= 0;
    }
    if (!ok)
        QMessageBox::warning(this, tr("Export"), tr("Could not write %1.").arg(path));
}

} // namespace hood::gui
