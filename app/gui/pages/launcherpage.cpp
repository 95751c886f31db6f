#include "launcherpage.h"

#include "namespacemodel.h"
#include "recentlaunches.h"
#include "spec/namespaces.h"
#include "theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGraphicsColorizeEffect>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPropertyAnimation>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace hood::gui {

void flashWidget(QWidget *w)
{
    if (!w)
        return;
    auto *effect = new QGraphicsColorizeEffect(w);
    effect->setColor(theme::alertColor(w->palette()));
    w->setGraphicsEffect(effect);
    auto *anim = new QPropertyAnimation(effect, "strength", w);
    anim->setDuration(2400);
    anim->setKeyValueAt(0, 0.0);
    anim->setKeyValueAt(0.15, 0.9);
    anim->setKeyValueAt(0.5, 0.2);
    anim->setKeyValueAt(0.7, 0.9);
    anim->setKeyValueAt(1, 0.0);
    QObject::connect(anim, &QPropertyAnimation::finished, w, [w] { w->setGraphicsEffect(nullptr); });
    anim->start(QAbstractAnimation::DeleteWhenStopped);
    w->setFocus();
}

LauncherPage::LauncherPage(QWidget *parent) : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->addWidget(buildNamespaces(), 0, 0, 3, 1);
    grid->addWidget(buildProgram(), 0, 1);
    grid->addWidget(buildLimits(), 1, 1);
    grid->addWidget(buildRoot(), 2, 1);
    grid->addWidget(buildFooter(), 3, 0, 1, 2);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 2);
    setSettings(LaunchSettings());
    connectChanges();
}

QWidget *LauncherPage::buildNamespaces()
{
    auto *box = new QGroupBox(tr("Namespaces: what the process gets its own copy of"), this);
    auto *layout = new QGridLayout(box);
    layout->setVerticalSpacing(2);
    int row = 0;
    for (const NsInfo &info : kNamespaces) {
        const QString key = kindKey(info.kind);
        auto *check = new QCheckBox(key, box);
        check->setObjectName("ns-" + key);
        const QString explanation = QString::fromUtf8(info.explanation.data(), qsizetype(info.explanation.size()));
        check->setToolTip(explanation);
        QFont bold = check->font();
        bold.setBold(true);
        check->setFont(bold);
        auto *label = new QLabel(explanation, box);
        label->setWordWrap(true);
        label->setBuddy(check);
        label->setToolTip(explanation);
        if (info.kind == NsKind::Mount) {
            // hoodctl refuses to run without one: the root filesystem and /proc are
            // set up inside it. Shown on, and why, rather than failing at launch.
            check->setEnabled(false);
            label->setText(explanation + tr(" Always on in Hood: the root filesystem and /proc are set up in it."));
        }
        layout->addWidget(check, row, 0, Qt::AlignVCenter);
        layout->addWidget(label, row, 1, Qt::AlignVCenter);
        m_ns << check;
        ++row;
    }
    auto *buttons = new QHBoxLayout;
    auto addPreset = [&](const QString &text, const QStringList &names) {
        auto *b = new QPushButton(text, box);
        connect(b, &QPushButton::clicked, this, [this, names] { setNamespaces(names); });
        buttons->addWidget(b);
    };
    addPreset(tr("All"), {"pid", "mnt", "uts", "ipc", "net", "user", "cgroup", "time"});
    addPreset(tr("None"), {});
    addPreset(tr("Default"), LaunchSettings().namespaces);
    buttons->addStretch();
    layout->addLayout(buttons, row, 0, 1, 2);
    layout->setColumnStretch(1, 1);
    return box;
}

QWidget *LauncherPage::buildProgram()
{
    auto *box = new QGroupBox(tr("Program"), this);
    auto *form = new QFormLayout(box);
    m_image = new QComboBox(box);
    m_image->setEditable(true);
    m_image->addItem("busybox");
    m_image->setToolTip(tr("\"busybox\" is the built-in image; or a directory holding a root filesystem"));
    auto *browse = new QToolButton(box);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose a root filesystem directory"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Root filesystem"));
        if (!dir.isEmpty())
            m_image->setCurrentText(dir);
    });
    auto *imageRow = new QHBoxLayout;
    imageRow->addWidget(m_image, 1);
    imageRow->addWidget(browse);
    auto *imageLabel = new QLabel(tr("&Image:"), box);
    imageLabel->setBuddy(m_image);
    form->addRow(imageLabel, imageRow);
    m_command = new QLineEdit(box);
    m_command->setPlaceholderText("sh");
    form->addRow(tr("C&ommand:"), m_command);
    m_name = new QLineEdit(box);
    m_name->setPlaceholderText(tr("generated"));
    form->addRow(tr("N&ame:"), m_name);
    m_hostname = new QLineEdit(box);
    m_hostname->setPlaceholderText(tr("the name (needs uts)"));
    form->addRow(tr("Host&name:"), m_hostname);
    m_terminal = new QCheckBox(tr("Te&rminal: type into it on the Console page"), box);
    form->addRow(QString(), m_terminal);
    return box;
}

QWidget *LauncherPage::buildLimits()
{
    auto *box = new QGroupBox(tr("Limits (cgroups)"), this);
    auto *form = new QFormLayout(box);
    m_memory = new QSpinBox(box);
    m_memory->setRange(0, 1024 * 1024);
    m_memory->setSuffix(tr(" MiB"));
    m_memory->setSpecialValueText(tr("no limit"));
    m_memory->setSingleStep(16);
    m_memory->setToolTip(tr("memory.max (v2) / memory.limit_in_bytes (v1); past it the OOM killer acts"));
    form->addRow(tr("&Memory:"), m_memory);
    m_cpus = new QDoubleSpinBox(box);
    m_cpus->setRange(0, 1024);
    m_cpus->setDecimals(2);
    m_cpus->setSingleStep(0.1);
    m_cpus->setSuffix(tr(" CPUs"));
    m_cpus->setSpecialValueText(tr("no limit"));
    m_cpus->setToolTip(tr("A CFS quota: 0.5 means 50 ms of CPU time every 100 ms"));
    form->addRow(tr("C&PU:"), m_cpus);
    m_pids = new QSpinBox(box);
    m_pids->setRange(0, 1000000);
    m_pids->setSuffix(tr(" tasks"));
    m_pids->setSpecialValueText(tr("no limit"));
    m_pids->setToolTip(tr("pids.max: fork() fails with EAGAIN past it (a fork bomb stops here)"));
    form->addRow(tr("Pid&s:"), m_pids);
    return box;
}

QWidget *LauncherPage::buildRoot()
{
    auto *box = new QGroupBox(tr("Root filesystem and user"), this);
    auto *v = new QVBoxLayout(box);
    m_pivotRoot = new QRadioButton(tr("pivot_root(2): the old root is unmounted, nothing to climb back to"), box);
    m_chroot = new QRadioButton(tr("chroot(2): only the path lookup changes (escapable with privileges)"), box);
    m_rootless = new QCheckBox(tr("Rootl&ess: a user namespace maps root inside to an unprivileged user"), box);
    v->addWidget(m_pivotRoot);
    v->addWidget(m_chroot);
    v->addWidget(m_rootless);
    v->addStretch();
    return box;
}

QWidget *LauncherPage::buildFooter()
{
    auto *w = new QWidget(this);
    auto *h = new QHBoxLayout(w);
    h->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("Recen&t:"), w);
    m_recent = new QComboBox(w);
    m_recent->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_recent->setMinimumContentsLength(30);
    label->setBuddy(m_recent);
    connect(m_recent, &QComboBox::activated, this, [this](int i) {
        if (i > 0 && i - 1 < m_recentList.size())
            setSettings(m_recentList[i - 1]);
    });
    m_launch = new QPushButton(tr("&Launch"), w);
    m_launch->setDefault(true);
    m_launch->setToolTip(tr("Runs hoodctl run -d with these settings (Ctrl+L)"));
    QFont f = m_launch->font();
    f.setBold(true);
    m_launch->setFont(f);
    m_launch->setMinimumWidth(160);
    connect(m_launch, &QPushButton::clicked, this, [this] { emit launchRequested(settings()); });
    // Beside Launch, not in a group above: the form has no height to spare at 1280x720.
    m_seccomp = new QCheckBox(tr("Secco&mp filter (Docker's default)"), w);
    m_seccomp->setToolTip(tr("Off is hoodctl run --security-opt seccomp=unconfined: keyctl, unshare and bpf then "
                             "reach the kernel (the Security page's Try It shows the difference)"));
    h->addWidget(label);
    h->addWidget(m_recent, 1);
    h->addSpacing(20);
    h->addWidget(m_seccomp);
    h->addSpacing(20);
    h->addWidget(m_launch);
    return w;
}

void LauncherPage::connectChanges()
{
    auto changed = [this] {
        if (!m_loading)
            emit settingsChanged();
    };
    for (QCheckBox *c : m_ns)
        connect(c, &QCheckBox::toggled, this, changed);
    for (QCheckBox *c : {m_terminal, m_rootless, m_seccomp})
        connect(c, &QCheckBox::toggled, this, changed);
    connect(m_chroot, &QRadioButton::toggled, this, changed);
    connect(m_image, &QComboBox::currentTextChanged, this, changed);
    for (QLineEdit *e : {m_command, m_name, m_hostname})
        connect(e, &QLineEdit::textChanged, this, changed);
    connect(m_memory, &QSpinBox::valueChanged, this, changed);
    connect(m_pids, &QSpinBox::valueChanged, this, changed);
    connect(m_cpus, &QDoubleSpinBox::valueChanged, this, changed);
}

void LauncherPage::setNamespaces(const QStringList &names)
{
    for (QCheckBox *c : m_ns)
        c->setChecked(names.contains(c->text()) || !c->isEnabled());
}

LaunchSettings LauncherPage::settings() const
{
    LaunchSettings s;
    s.image = m_image->currentText().trimmed();
    s.command = QProcess::splitCommand(m_command->text());
    if (s.command.isEmpty())
        s.command = {"sh"};
    s.namespaces.clear();
    for (QCheckBox *c : m_ns) {
        if (c->isChecked())
            s.namespaces << c->text();
    }
    s.memory = qint64(m_memory->value()) * 1024 * 1024;
    s.cpus = m_cpus->value();
    s.pids = m_pids->value();
    s.hostname = m_hostname->text().trimmed();
    s.chroot = m_chroot->isChecked();
    s.rootless = m_rootless->isChecked();
    s.name = m_name->text().trimmed();
    s.terminal = m_terminal->isChecked();
    s.seccomp = m_seccomp->isChecked();
    return s;
}

void LauncherPage::setSettings(const LaunchSettings &s)
{
    m_loading = true;
    m_image->setCurrentText(s.image);
    QStringList quoted;
    for (const QString &w : s.command)
        quoted << (w.contains(' ') || w.isEmpty() ? '"' + w + '"' : w);
    m_command->setText(quoted.join(' '));
    setNamespaces(s.namespaces);
    m_memory->setValue(int(s.memory / (1024 * 1024)));
    m_cpus->setValue(s.cpus);
    m_pids->setValue(int(s.pids));
    m_hostname->setText(s.hostname);
    (s.chroot ? m_chroot : m_pivotRoot)->setChecked(true);
    m_rootless->setChecked(s.rootless);
    m_name->setText(s.name);
    m_terminal->setChecked(s.terminal);
    m_seccomp->setChecked(s.seccomp);
    m_loading = false;
    emit settingsChanged();
}

void LauncherPage::setRecent(const QVector<LaunchSettings> &recent)
{
    m_recentList = recent;
    m_recent->clear();
    m_recent->addItem(recent.isEmpty() ? tr("(none yet)") : tr("Choose a recent configuration…"));
    for (const LaunchSettings &s : recent)
        m_recent->addItem(describe(s));
}

void LauncherPage::setBusy(bool busy)
{
    m_launch->setText(busy ? tr("Working…") : tr("&Launch"));
}

bool LauncherPage::highlight(const QString &key)
{
    for (QCheckBox *c : m_ns) {
        if (c->text() == key) {
            flashWidget(c);
            return true;
        }
    }
    const std::pair<const char *, QWidget *> table[] = {
        {"image", m_image},       {"command", m_command}, {"name", m_name},       {"hostname", m_hostname},
        {"terminal", m_terminal}, {"memory", m_memory},   {"cpus", m_cpus},       {"pids", m_pids},
        {"chroot", m_chroot},     {"pivot_root", m_pivotRoot}, {"rootless", m_rootless}, {"seccomp", m_seccomp}, {"launch", m_launch}};
    for (const auto &[name, w] : table) {
        if (key == QLatin1String(name)) {
            flashWidget(w);
            return true;
        }
    }
    return false;
}

} // namespace hood::gui
