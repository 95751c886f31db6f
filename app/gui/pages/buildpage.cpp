#include "buildpage.h"

#include "theme.h"

#include "image/layerview.h"

#include <QCheckBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

// "sha256:3f2a9c1b2d4e…" → "3f2a9c1b2d4e", as docker prints IDs.
QString shortHex(const QString &digest)
{
    return digest.section(':', -1).left(12);
}

QString secondsText(double s)
{
    return s < 10 ? QString::number(s, 'f', 2) + " s" : QString::number(s, 'f', 1) + " s";
}

QString bytesText(quint64 n)
{
    return QString::fromStdString(hood::image::humanBytes(n));
}

// The monospace family alone: an item's font is resolved against the list's, so
// its size follows the application's (presentation mode makes it larger).
QFont monoFamily()
{
    QFont f;
    f.setFamilies(theme::monospaceFont().families());
    f.setStyleHint(QFont::Monospace);
    return f;
}

// Room around each row, so the list reads from the back of a room. (A style
// sheet would do it too, but would keep the list's font from following the
// application's into presentation mode.)
class PaddedDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QSize s = QStyledItemDelegate::sizeHint(option, index);
        const int pad = option.fontMetrics.height() / 3;
        return {s.width() + 2 * pad, s.height() + pad};
    }
};

QTreeWidget *makeList(const QStringList &headers, QWidget *parent)
{
    auto *list = new QTreeWidget(parent);
    list->setHeaderLabels(headers);
    list->setRootIsDecorated(false);
    list->setUniformRowHeights(true);
    list->setAlternatingRowColors(true);
    list->header()->setStretchLastSection(true);
    for (int c = 0; c + 1 < headers.size(); ++c)
        list->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    list->setItemDelegate(new PaddedDelegate(list));
    return list;
}

} // namespace

BuildPage::BuildPage(const QString &hoodctl, const QString &stateRoot, QWidget *parent)
    : QWidget(parent), m_session(new BuildSession(hoodctl, stateRoot, this))
{
    auto *outer = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Context:"), this));
    m_context = new QLineEdit(this);
    m_context->setPlaceholderText(tr("a folder with a Dockerfile"));
    m_context->setClearButtonEnabled(true);
    row->addWidget(m_context, 3);
    m_browse = new QPushButton(tr("Open folder…"), this);
    row->addWidget(m_browse);
    row->addWidget(new QLabel(tr("Tag:"), this));
    m_tag = new QLineEdit(QStringLiteral("hood-build:latest"), this);
    row->addWidget(m_tag, 1);
    m_noCache = new QCheckBox(tr("No cache"), this);
    m_noCache->setToolTip(tr("hoodctl build --no-cache: every step is built again"));
    row->addWidget(m_noCache);
    m_build = new QPushButton(tr("Build"), this);
    m_build->setDefault(true);
    row->addWidget(m_build);
    outer->addLayout(row);

    m_summary = new QLabel(tr("Open a folder with a Dockerfile and build it: each step appears below as it runs, "
                              "from the cache or built. Build again after an edit to see where the cache stops."),
                           this);
    m_summary->setWordWrap(true);
    fitSummaryFont();
    outer->addWidget(m_summary);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_steps = makeList({tr("Step"), tr("Result"), tr("Time"), tr("Cache key"), tr("Layer"), tr("Instruction")}, split);
    m_steps->setToolTip(tr("Click a layer to open it on the Layers page."));

    auto *registry = new QGroupBox(tr("Registry: pull and push"), split);
    auto *rv = new QVBoxLayout(registry);
    auto *rrow = new QHBoxLayout;
    rrow->addWidget(new QLabel(tr("Reference:"), registry));
    m_reference = new QLineEdit(registry);
    m_reference->setPlaceholderText(tr("127.0.0.1:5000/hello:latest"));
    rrow->addWidget(m_reference, 1);
    m_plainHttp = new QCheckBox(tr("Plain http (--tls-verify=false)"), registry);
    rrow->addWidget(m_plainHttp);
    m_pull = new QPushButton(tr("Pull"), registry);
    m_push = new QPushButton(tr("Push the build"), registry);
    m_push->setToolTip(tr("hoodctl push TAG REFERENCE: the image this page built (its tag)"));
    rrow->addWidget(m_pull);
    rrow->addWidget(m_push);
    rv->addLayout(rrow);
    m_transferStatus = new QLabel(registry);
    m_transferStatus->setWordWrap(true);
    rv->addWidget(m_transferStatus);
    m_blobs = makeList({tr("Blob"), tr("Size"), tr("Progress")}, registry);
    rv->addWidget(m_blobs, 1);
    split->addWidget(m_steps);
    split->addWidget(registry);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({600, 250});
    outer->addWidget(split, 1);

    connect(m_browse, &QPushButton::clicked, this, &BuildPage::chooseFolder);
    connect(m_build, &QPushButton::clicked, this, &BuildPage::build);
    connect(m_context, &QLineEdit::returnPressed, this, &BuildPage::build);
    connect(m_pull, &QPushButton::clicked, this, &BuildPage::pull);
    connect(m_push, &QPushButton::clicked, this, &BuildPage::push);
    connect(m_steps, &QTreeWidget::itemClicked, this, &BuildPage::openLayer);
    connect(m_steps, &QTreeWidget::itemActivated, this, &BuildPage::openLayer);
    connect(m_session, &BuildSession::step, this, &BuildPage::showStep);
    connect(m_session, &BuildSession::blob, this, &BuildPage::showBlob);
    connect(m_session, &BuildSession::finished, this, &BuildPage::finished);
    connect(m_session, &BuildSession::busyChanged, this, &BuildPage::setBusy);
}

// The summary a little larger than the page's text, whatever size that is now.
void BuildPage::fitSummaryFont()
{
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_summary->setFont(big);
}

void BuildPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitSummaryFont();
}

void BuildPage::setContext(const QString &dir)
{
    m_context->setText(dir);
}

void BuildPage::chooseFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("A folder with a Dockerfile"), m_context->text());
    if (!dir.isEmpty())
        setContext(dir);
}

void BuildPage::build()
{
    const QString dir = m_context->text().trimmed();
    if (dir.isEmpty() || m_session->busy())
        return;
    if (!QFileInfo::exists(QDir(dir).filePath("Dockerfile"))) {
        m_summary->setText(tr("%1 has no Dockerfile: open the folder that holds one.").arg(dir));
        return;
    }
    m_steps->clear();
    m_image.clear();
    m_hits = m_built = m_total = m_cacheStop = 0;
    m_seconds = 0;
    m_doing = Doing::Build;
    m_rebuild = dir == m_lastBuilt && !m_noCache->isChecked();
    m_summary->setText(tr("hoodctl build -t %1 %2 …").arg(m_tag->text(), dir));
    m_session->build(dir, m_tag->text().trimmed(), m_noCache->isChecked());
}

void BuildPage::pull()
{
    const QString ref = m_reference->text().trimmed();
    if (ref.isEmpty() || m_session->busy())
        return;
    m_blobs->clear();
    m_bars.clear();
    m_doing = Doing::Pull;
    m_transferStatus->setText(tr("hoodctl pull %1 …").arg(ref));
    m_session->pull(ref, !m_plainHttp->isChecked());
}

void BuildPage::push()
{
    const QString ref = m_reference->text().trimmed();
    const QString image = m_tag->text().trimmed();
    if (ref.isEmpty() || image.isEmpty() || m_session->busy())
        return;
    m_blobs->clear();
    m_bars.clear();
    m_doing = Doing::Push;
    m_transferStatus->setText(tr("hoodctl push %1 %2 …").arg(image, ref));
    m_session->push(image, ref, !m_plainHttp->isChecked());
}

void BuildPage::setBusy(bool busy)
{
    for (QWidget *w : {static_cast<QWidget *>(m_build), static_cast<QWidget *>(m_pull),
                       static_cast<QWidget *>(m_push), static_cast<QWidget *>(m_browse)})
        w->setEnabled(!busy);
}

// A step's row: added when it starts, filled in when it is done.
void BuildPage::showStep(const BuildStepEvent &e)
{
    QTreeWidgetItem *item = nullptr;
    if (e.index - 1 < m_steps->topLevelItemCount())
        item = m_steps->topLevelItem(e.index - 1);
    if (!item) {
        item = new QTreeWidgetItem(m_steps);
        item->setText(StepColumn, QString("%1/%2").arg(e.index).arg(e.total));
        item->setText(InstructionColumn, e.instruction);
        item->setToolTip(InstructionColumn, e.instruction);
        item->setText(ResultColumn, tr("running…"));
        m_steps->scrollToItem(item);
    }
    m_total = e.total;
    if (!e.done)
        return;
    const QPalette pal = palette();
    item->setText(ResultColumn, e.cached ? tr("cache hit") : tr("built"));
    // Green enough to tell from "built" at a distance; the words carry it as well.
    const QColor hit = theme::isDark(pal) ? QColor(0x7e, 0xe0, 0x8a) : QColor(0x12, 0x6b, 0x2a);
    item->setForeground(ResultColumn, e.cached ? hit : pal.color(QPalette::Text));
    if (!e.cached) {
        QFont f;
        f.setBold(true);
        item->setFont(ResultColumn, f);
    }
    item->setToolTip(ResultColumn, e.reason);
    item->setText(TimeColumn, secondsText(e.seconds));
    item->setTextAlignment(TimeColumn, Qt::AlignRight | Qt::AlignVCenter);
    item->setText(KeyColumn, shortHex(e.key));
    item->setToolTip(KeyColumn, e.key);
    item->setFont(KeyColumn, monoFamily());
    if (e.layer.isEmpty()) {
        item->setText(LayerColumn, tr("no layer"));
    } else {
        item->setText(LayerColumn, QString("%1 (%2)").arg(shortHex(e.layer), bytesText(e.size)));
        item->setData(LayerColumn, Qt::UserRole, e.layer);
        item->setToolTip(LayerColumn, tr("%1: open it on the Layers page").arg(e.layer));
        QFont f = monoFamily();
        f.setUnderline(true);
        item->setFont(LayerColumn, f);
        item->setForeground(LayerColumn, pal.color(QPalette::Link));
    }
    (e.cached ? m_hits : m_built)++;
    m_seconds += e.seconds;
    if (!e.cached && (m_hits > 0 || m_rebuild) && m_cacheStop == 0)
        markCacheStop(item, e);
}

// The first step built after steps from the cache: where the edit took effect.
// Said in words and colour both, in every column, so it reads from the back row.
void BuildPage::markCacheStop(QTreeWidgetItem *item, const BuildStepEvent &e)
{
    m_cacheStop = e.index;
    m_stopReason = e.reason;
    const QColor fill = theme::layerModifiedFill(palette());
    QFont bold;
    bold.setBold(true);
    for (int c = 0; c < m_steps->columnCount(); ++c) {
        item->setBackground(c, fill);
        if (c != KeyColumn && c != LayerColumn)
            item->setFont(c, bold);
    }
    item->setText(ResultColumn, tr("▶ cache stops here: built"));
    item->setToolTip(ResultColumn, e.index > 1 ? tr("The cache was used up to step %1; this step missed: %2")
                                                     .arg(e.index - 1)
                                                     .arg(e.reason)
                                               : tr("The first step missed: %1").arg(e.reason));
}

void BuildPage::showBlob(const BlobProgress &p)
{
    QProgressBar *bar = m_bars.value(p.what);
    if (!bar) {
        auto *item = new QTreeWidgetItem(m_blobs);
        item->setText(0, p.what);
        item->setFont(0, monoFamily());
        bar = new QProgressBar(m_blobs);
        bar->setTextVisible(true);
        m_blobs->setItemWidget(item, 2, bar);
        m_bars.insert(p.what, bar);
    }
    // A blob the registry (or the store) already had reports 1 of 1.
    const quint64 total = std::max<quint64>(p.total, 1);
    const int permille = int(std::min<quint64>(p.done, total) * 1000 / total);
    bar->setRange(0, 1000);
    bar->setValue(p.total ? permille : 0);
    bar->setFormat(p.total > 1 ? QString("%1 of %2").arg(bytesText(p.done), bytesText(p.total))
                               : p.total ? tr("already there") : bytesText(p.done));
    for (int i = 0; i < m_blobs->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_blobs->topLevelItem(i);
        if (m_blobs->itemWidget(item, 2) == bar)
            item->setText(1, p.total > 1 ? bytesText(p.total) : QString());
    }
}

void BuildPage::finished(bool ok, const QString &imageId, const QString &digest, const QString &sentence)
{
    const Doing doing = std::exchange(m_doing, Doing::Nothing);
    if (doing != Doing::Build) {
        m_transferStatus->setText(ok ? tr("%1 done: %2").arg(doing == Doing::Pull ? tr("Pull") : tr("Push"), digest)
                                     : tr("%1 failed: %2").arg(doing == Doing::Pull ? tr("Pull") : tr("Push"), sentence));
        return;
    }
    m_image = imageId;
    if (!ok) {
        m_summary->setText(tr("The build failed: %1").arg(sentence));
        return;
    }
    m_lastBuilt = m_context->text().trimmed();
    m_summary->setText(summary());
}

QString BuildPage::summary() const
{
    QString text = tr("Built %1 in %2: %3 of %4 steps from the cache, %5 built.")
                       .arg(shortHex(m_image), secondsText(m_seconds))
                       .arg(m_hits)
                       .arg(m_total)
                       .arg(m_built);
    if (m_cacheStop > 0)
        text += ' ' + tr("The cache stopped at step %1 (marked ▶): %2.").arg(m_cacheStop).arg(m_stopReason);
    else if (m_built == 0 && m_total > 0)
        text += ' ' + tr("Every step came from the cache.");
    return text;
}

void BuildPage::openLayer(QTreeWidgetItem *item, int column)
{
    const QString layer = item->data(LayerColumn, Qt::UserRole).toString();
    if (column != LayerColumn || layer.isEmpty() || m_image.isEmpty())
        return;
    emit layerRequested(m_image, layer);
}

} // namespace hood::gui
