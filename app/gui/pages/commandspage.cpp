#include "commandspage.h"

#include "launcherpage.h"
#include "theme.h"

#include <QApplication>
#include <QClipboard>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace hood::gui {

CommandsPage::CommandsPage(QWidget *parent) : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->addWidget(section(tr("hoodctl (what the window runs)"), "hoodctl", &m_hoodctl), 0, 0);
    grid->addWidget(section(tr("docker run"), "docker", &m_docker), 1, 0);
    grid->addWidget(section(tr("By hand: cgroup files, unshare, mount, pivot_root"), "shell", &m_shell), 2, 0);
    grid->addWidget(section(tr("OCI config.json (runc, crun)"), "config", &m_config), 0, 1, 3, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 2);
    grid->setRowStretch(2, 6);
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 2);
}

QWidget *CommandsPage::section(const QString &title, const QString &key, QPlainTextEdit **edit)
{
    auto *w = new QWidget(this);
    auto *v = new QVBoxLayout(w);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto *head = new QHBoxLayout;
    auto *label = new QLabel("<b>" + title.toHtmlEscaped() + "</b>", w);
    *edit = new QPlainTextEdit(w);
    (*edit)->setReadOnly(true);
    (*edit)->setFont(theme::monospaceFont());
    (*edit)->setLineWrapMode(key == "config" ? QPlainTextEdit::NoWrap : QPlainTextEdit::WidgetWidth);
    (*edit)->setObjectName("commands-" + key);
    auto *copy = new QPushButton(tr("Copy"), w);
    copy->setToolTip(tr("Copy to the clipboard"));
    QPlainTextEdit *target = *edit;
    connect(copy, &QPushButton::clicked, this, [target] { QApplication::clipboard()->setText(target->toPlainText()); });
    head->addWidget(label, 1);
    head->addWidget(copy);
    v->addLayout(head);
    v->addWidget(*edit, 1);
    return w;
}

void CommandsPage::showCommands(const EquivalentCommands &c)
{
    m_hoodctl->setPlainText(c.hoodctl);
    m_shell->setPlainText(c.shell);
    m_config->setPlainText(c.configJson);
    m_docker->setPlainText(c.docker);
}

bool CommandsPage::highlight(const QString &key)
{
    const std::pair<const char *, QPlainTextEdit *> table[] = {
        {"hoodctl", m_hoodctl}, {"shell", m_shell}, {"config", m_config}, {"docker", m_docker}};
    for (const auto &[name, edit] : table) {
        if (key == QLatin1String(name)) {
            flashWidget(edit);
            return true;
        }
    }
    return false;
}

} // namespace hood::gui
