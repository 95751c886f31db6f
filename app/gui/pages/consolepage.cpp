#include "consolepage.h"

#include "terminalwidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace hood::gui {

ConsolePage::ConsolePage(QWidget *parent) : QWidget(parent), m_terminal(new TerminalWidget(this))
{
    auto *v = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_status = new QLabel(tr("Select a container to see its console."), this);
    m_status->setWordWrap(true);
    bar->addWidget(m_status, 1);
    auto *clear = new QPushButton(tr("C&lear"), this);
    connect(clear, &QPushButton::clicked, m_terminal, &TerminalWidget::clearScreen);
    auto *reconnect = new QPushButton(tr("Re&attach"), this);
    connect(reconnect, &QPushButton::clicked, this, &ConsolePage::reconnectRequested);
    bar->addWidget(clear);
    bar->addWidget(reconnect);
    v->addLayout(bar);
    v->addWidget(m_terminal, 1);
    setFocusProxy(m_terminal);
}

void ConsolePage::setStatus(const QString &sentence)
{
    m_status->setText(sentence);
}

} // namespace hood::gui
