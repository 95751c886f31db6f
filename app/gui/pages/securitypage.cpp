#include "securitypage.h"

#include "controller.h"

#include <algorithm>

#include <QComboBox>
#include <QHash>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// hood-demo syscall's probes (app/demo/syscalls.cpp), the ones Docker's profile blocks first.
const char *const kProbes[] = {"keyctl", "unshare-user", "bpf", "perf_event_open", "add_key",
                               "mount", "unshare-mount", "personality", "userfaultfd"};

QString seccompModeText(std::optional<int> mode)
{
    switch (mode.value_or(-1)) {
    case 0: return QObject::tr("off (every syscall reaches the kernel)");
    case 1: return QObject::tr("strict (read, write, exit only)");
    case 2: return QObject::tr("filter");
    default: return QObject::tr("unknown");
    }
}

QString idMapText(const std::vector<inspect::IdMapLine> &map, const QString &what)
{
    if (map.empty())
        return QObject::tr("%1: not read").arg(what);
    if (inspect::isIdentityMap(map))
        return QObject::tr("%1: the host's own (no user namespace): 0 inside is 0 on the host").arg(what);
    QStringList parts;
    for (const inspect::IdMapLine &m : map)
        parts << QObject::tr("%1–%2 inside → %3–%4 on the host")
                     .arg(m.inside)
                     .arg(qulonglong(m.inside) + m.count - 1)
                     .arg(m.outside)
                     .arg(qulonglong(m.outside) + m.count - 1);
    return what + ": " + parts.join("; ");
}

QTreeWidgetItem *addItem(QTreeWidgetItem *parent, const QString &text, const QString &why)
{
    auto *item = new QTreeWidgetItem(parent, {text, why});
    item->setToolTip(0, text);
    item->setToolTip(1, why);
    return item;
}

QTreeWidgetItem *addTop(QTreeWidget *tree, const QString &text, const QString &why)
{
    auto *item = new QTreeWidgetItem(tree, {text, why});
    QFont bold = item->font(0);
    bold.setBold(true);
    item->setFont(0, bold);
    item->setToolTip(0, text);
    item->setToolTip(1, why);
    return item;
}

} // namespace

SecurityPage::SecurityPage(ContainerController *controller, std::function<QString()> currentContainer, QWidget *parent)
    : QWidget(parent), m_controller(controller), m_current(std::move(currentContainer)),
      m_inspector(new SecurityInspector(this))
{
    auto *v = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    v->addWidget(m_summary);
    auto *split = new QSplitter(Qt::Horizontal, this);
    m_caps = new QTableWidget(0, 3, split);
    m_caps->setHorizontalHeaderLabels({tr("Capability"), tr("Has it"), tr("What it allows")});
    m_caps->verticalHeader()->hide();
    m_caps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_caps->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_caps->setWordWrap(false);
    m_caps->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_caps->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_caps->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    // One text line a row, and both lists may shrink to a few rows: the page must
    // fit under the container list in a 1280x720 window.
    m_caps->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_caps->setMinimumHeight(fontMetrics().height() * 4);
    m_details = new QTreeWidget(split);
    m_details->setHeaderLabels({tr("What confines it"), tr("What it prevents")});
    m_details->setRootIsDecorated(true);
    m_details->setWordWrap(false);
    m_details->header()->setStretchLastSection(true);
    m_details->setMinimumHeight(fontMetrics().height() * 4);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    v->addWidget(split, 1);
    v->addWidget(buildProbeRow());
    m_follow.setInterval(300);
    connect(&m_follow, &QTimer::timeout, this, &SecurityPage::follow);
    m_follow.start();
    connect(m_inspector, &SecurityInspector::snapshot, this, [this](const SecuritySnapshot &s) {
        if (s.id == m_current())
            showSnapshot(s);
    });
    connect(m_controller, &ContainerController::containersChanged, this, &SecurityPage::follow);
    showNothing(tr("Select a container to see what confines it."));
}

QWidget *SecurityPage::buildProbeRow()
{
    auto *w = new QWidget(this);
    auto *v = new QVBoxLayout(w);
    v->setContentsMargins(0, 0, 0, 0);
    auto *h = new QHBoxLayout;
    auto *label = new QLabel(tr("Make a &blocked syscall inside:"), w);
    m_probe = new QComboBox(w);
    for (const char *p : kProbes)
        m_probe->addItem(QString::fromLatin1(p));
    label->setBuddy(m_probe);
    m_try = new QPushButton(tr("&Try It"), w);
    m_try->setToolTip(tr("hoodctl exec ID -- hood-demo syscall NAME: the kernel's answer inside the container"));
    connect(m_try, &QPushButton::clicked, this, &SecurityPage::runProbe);
    h->addWidget(label);
    h->addWidget(m_probe);
    h->addWidget(m_try);
    v->addLayout(h);
    // Beside the button: the answer is one sentence, and the page has no height to spare.
    m_result = new QLabel(w);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    h->addWidget(m_result, 1);
    return w;
}

void SecurityPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_followKey.clear(); // read again: the page may have been away for a while
    follow();
}

// Reads when what is selected changed (another container, a new pid, a stop); the
// sets do not change while a process lives, except by the process itself.
void SecurityPage::follow()
{
    if (!isVisible())
        return;
    const QString id = m_current();
    const ContainerRow *row = m_controller->container(id);
    if (!row) {
        if (!m_shown.isEmpty() || m_followKey != QLatin1String("-")) {
            m_followKey = "-";
            showNothing(tr("Select a container to see what confines it."));
        }
        return;
    }
    const QString key = QStringLiteral("%1/%2/%3").arg(row->id).arg(row->pid).arg(row->status);
    if (key == m_followKey)
        return;
    m_followKey = key;
    m_inspector->request(*row, m_controller->containerDir(row->id));
}

void SecurityPage::showNothing(const QString &why)
{
    m_shown.clear();
    m_summary->setText(why.toHtmlEscaped());
    m_caps->setRowCount(0);
    m_details->clear();
    m_try->setEnabled(false);
    m_result->clear();
}

void SecurityPage::showSnapshot(const SecuritySnapshot &s)
{
    if (s.id != m_shown)
        m_result->clear();
    m_shown = s.id;
    const inspect::SecurityView &v = s.view;
    m_seccompOn = v.seccomp.configured;
    const int granted = int(inspect::decodeCapabilities(v.proc.effective).size());
    QStringList parts;
    if (s.running) {
        parts << tr("%1 of %2 capabilities").arg(granted).arg(inspect::capabilityTable().size());
        parts << (v.proc.seccompMode.value_or(0) == 2 ? tr("seccomp filter on") : tr("no seccomp filter"));
        parts << (v.proc.noNewPrivs.value_or(0) ? tr("no_new_privs on") : tr("no_new_privs off"));
        parts << (inspect::isIdentityMap(v.uidMap) ? tr("root inside is root on the host")
                                                   : tr("root inside is an ordinary user on the host"));
    } else {
        parts << tr("not running: what its config.json asks for (no process to read capabilities from)");
    }
    QString text = tr("<b>%1</b>%2: ").arg(s.id.toHtmlEscaped(), s.running ? tr(" (pid %1)").arg(v.pid) : QString())
                   + parts.join(QStringLiteral(" · ")).toHtmlEscaped();
    if (!s.problem.isEmpty() || !v.problem.empty())
        text += "<br>" + (s.problem.isEmpty() ? q(v.problem) : s.problem).toHtmlEscaped();
    m_summary->setText(text);
    fillCapabilities(v.proc, s.running);
    fillDetails(s);
    m_try->setEnabled(s.running && !m_probeProcess);
}

// Every capability the kernel knows of, the container's first; the dropped ones greyed.
void SecurityPage::fillCapabilities(const inspect::ProcSecurity &proc, bool running)
{
    std::vector<inspect::CapabilityInfo> rows = inspect::capabilityTable();
    std::stable_partition(rows.begin(), rows.end(), [&](const inspect::CapabilityInfo &c) {
        return proc.effective & (uint64_t(1) << c.bit);
    });
    m_caps->setRowCount(running ? int(rows.size()) : 0);
    if (!running)
        return;
    const QColor dim = palette().color(QPalette::Disabled, QPalette::Text);
    for (int r = 0; r < int(rows.size()); ++r) {
        const inspect::CapabilityInfo &c = rows[size_t(r)];
        const bool has = proc.effective & (uint64_t(1) << c.bit);
        const bool bounded = proc.bounding & (uint64_t(1) << c.bit);
        const QString state = has ? tr("yes") : bounded ? tr("can regain") : tr("dropped");
        const QStringList cells = {q(c.name), state, q(c.allows)};
        for (int col = 0; col < 3; ++col) {
            auto *item = new QTableWidgetItem(cells[col]);
            item->setToolTip(q(c.name) + ": " + q(c.allows));
            if (!has)
                item->setForeground(dim);
            m_caps->setItem(r, col, item);
        }
    }
}

void SecurityPage::fillDetails(const SecuritySnapshot &s)
{
    const inspect::SecurityView &v = s.view;
    m_details->clear();
    const inspect::SeccompView &sc = v.seccomp;
    QString mode = s.running ? seccompModeText(v.proc.seccompMode) : (sc.configured ? tr("filter") : tr("off"));
    if (s.running && v.proc.seccompFilters)
        mode += *v.proc.seccompFilters == 1 ? tr(", 1 filter stacked")
                                            : tr(", %1 filters stacked").arg(*v.proc.seccompFilters);
    QTreeWidgetItem *seccomp = addTop(m_details, tr("Seccomp: %1").arg(mode),
                                      tr("syscalls a container never needs reaching the host's kernel"));
    if (sc.configured) {
        addItem(seccomp, tr("Default action: %1").arg(QString::fromStdString(sc.defaultAction)),
                tr("what a call no rule names gets"));
        addItem(seccomp, tr("Allowed: %1 of this machine's %2 syscalls (%3 only with some arguments)")
                             .arg(sc.allowedHere).arg(sc.knownSyscalls).arg(sc.summary.conditional),
                tr("clone without CLONE_NEW*, socket without AF_VSOCK, personality's safe values"));
        addItem(seccomp, tr("Blocked: %1 syscalls").arg(sc.blocked),
                tr("they fail with EPERM (clone3: ENOSYS, so libc falls back to clone)"));
        if (!sc.summary.notableBlocked.empty()) {
            QTreeWidgetItem *notable = addItem(seccomp, tr("Notable blocked calls (%1)").arg(sc.summary.notableBlocked.size()),
                                               tr("each would reach past the container if allowed"));
            for (const std::string &name : sc.summary.notableBlocked)
                addItem(notable, QString::fromStdString(name), q(inspect::syscallReason(name)));
            notable->setExpanded(true);
        }
    } else {
        addItem(seccomp, tr("No filter: launched with seccomp off (--security-opt seccomp=unconfined)"),
                tr("nothing: only capabilities and namespaces stand between it and the kernel"));
    }
    seccomp->setExpanded(true);
    const bool nnp = s.running ? v.proc.noNewPrivs.value_or(0) == 1 : s.noNewPrivsInSpec;
    addTop(m_details, tr("no_new_privs: %1").arg(nnp ? tr("on") : tr("off")),
           nnp ? tr("a setuid binary or file capability giving it more than it has")
               : tr("nothing: a setuid binary inside gains its owner's privileges"));
    QTreeWidgetItem *masked = addTop(m_details, tr("Masked paths (%1)").arg(v.maskedPaths.size()),
                                     tr("host information in /proc and /sys: /dev/null or an empty tmpfs over it"));
    for (const std::string &p : v.maskedPaths)
        addItem(masked, QString::fromStdString(p), q(inspect::maskedPathReason(p)));
    QTreeWidgetItem *readonly = addTop(m_details, tr("Read-only paths (%1)").arg(v.readonlyPaths.size()),
                                       tr("writes to host-wide kernel settings: bound read-only"));
    for (const std::string &p : v.readonlyPaths)
        addItem(readonly, QString::fromStdString(p), q(inspect::readonlyPathReason(p)));
    if (s.running) {
        const bool mapped = !inspect::isIdentityMap(v.uidMap);
        QTreeWidgetItem *ids = addTop(m_details, idMapText(v.uidMap, tr("User ids")),
                                      mapped ? tr("an escape landing with root's power: root inside is nobody outside")
                                             : tr("nothing by itself: capabilities and seccomp have to hold"));
        addItem(ids, idMapText(v.gidMap, tr("Group ids")), tr("the same for groups"));
        ids->setExpanded(true);
    }
    fitDetailColumns();
}

// The names, but never more than half the width: what each prevents is the point.
void SecurityPage::fitDetailColumns()
{
    m_details->resizeColumnToContents(0);
    m_details->setColumnWidth(0, std::min(m_details->columnWidth(0), m_details->viewport()->width() / 2));
}

void SecurityPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitDetailColumns();
}

void SecurityPage::runProbe()
{
    if (m_probeProcess || m_shown.isEmpty())
        return;
    m_probeProcess = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!m_controller->stateRoot().isEmpty())
        env.insert("HOOD_ROOT", m_controller->stateRoot());
    m_probeProcess->setProcessEnvironment(env);
    m_probeProcess->setProcessChannelMode(QProcess::MergedChannels);
    const QString name = m_probe->currentText();
    m_result->setText(tr("hoodctl exec %1 -- hood-demo syscall %2 …").arg(m_shown, name));
    m_try->setEnabled(false);
    connect(m_probeProcess, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        showProbeAnswer(status == QProcess::NormalExit ? code : -1, QString::fromUtf8(m_probeProcess->readAll()));
        m_probeProcess->deleteLater();
        m_probeProcess = nullptr;
        m_try->setEnabled(!m_shown.isEmpty());
    });
    m_probeProcess->start(m_controller->hoodctl(), {"exec", m_shown, "--", "hood-demo", "syscall", name});
}

// hood-demo's "key: value" lines: result refused/allowed, error or returned.
void SecurityPage::showProbeAnswer(int exitCode, const QString &output)
{
    QHash<QString, QString> kv;
    for (const QString &line : output.split('\n')) {
        const int colon = line.indexOf(QLatin1String(": "));
        if (colon > 0)
            kv.insert(line.left(colon), line.mid(colon + 2).trimmed());
    }
    const QString name = kv.value("syscall", m_probe->currentText());
    if (exitCode != 0 || !kv.contains("result")) {
        m_result->setText(tr("%1 could not be tried: %2").arg(name, engineSentence(output)));
        return;
    }
    const QString what = kv.value("what");
    if (kv.value("result") == QLatin1String("allowed")) {
        m_result->setText(tr("<b>%1: allowed</b> (returned %2): the kernel let it %3.")
                              .arg(name, kv.value("returned"), what.toHtmlEscaped()));
        return;
    }
    const QString error = kv.value("error");
    const bool eperm = error.contains(QLatin1String("(EPERM)"));
    const QString who = eperm && m_seccompOn ? tr("the seccomp filter answered before the kernel ran it")
                                             : tr("the kernel itself refused it (no capability for it)");
    m_result->setText(tr("<b>%1: refused, %2</b>: %3. Allowed, it could %4.")
                          .arg(name, error.toHtmlEscaped(), who, what.toHtmlEscaped()));
}

} // namespace hood::gui
