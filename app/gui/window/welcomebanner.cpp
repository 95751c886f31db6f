#include "welcomepage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSvgRenderer>
#include <QVBoxLayout>

namespace {

const char *const kLogoPath = ":/icons/hood.svg";

// Plain words for a student who has used containers but never looked inside one.
QString welcomeText()
{
    return QObject::tr(
        "<p>A container is not a small virtual machine. It is an ordinary Linux process "
        "that the kernel shows a different world: its own process numbers, hostname, mount "
        "table and network (<b>namespaces</b>); a budget of memory, CPU time and process "
        "slots (<b>cgroups</b>); and a root filesystem of its own (<b>pivot_root</b>, "
        "overlays of image layers).</p>"
        "<p>Hood starts real sandboxed processes with its own small isolation engine and "
        "shows what the kernel did for them. Its lessons set containers beside virtual "
        "machines, FreeBSD jails and unikernels, measured on this machine wherever it "
        "allows.</p>"
        "<p>This version has the engine and its command-line tool; the live pages and the "
        "lessons come next. From a terminal, as root:</p>"
        "<pre>  hoodctl run -- hood-demo whoami</pre>"
        "<p>runs our small demo program inside the built-in busybox image and prints the "
        "namespaces, capabilities and ids it got.</p>");
}

QLabel *titleLabel(QWidget *parent)
{
    auto *title = new QLabel(QObject::tr("Hood"), parent);
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 2.6);
    font.setBold(true);
    title->setFont(font);
    return title;
}

QLabel *taglineLabel(QWidget *parent)
{
    auto *tagline = new QLabel(QObject::tr("See what is under the hood of a container."), parent);
    QFont font = tagline->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    tagline->setFont(font);
    return tagline;
}

QWidget *header(QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *logo = new QLabel(box);
    logo->setPixmap(hoodLogo(112, parent->devicePixelRatioF()));
    auto *words = new QVBoxLayout;
    words->addStretch();
    words->addWidget(titleLabel(box));
    words->addWidget(taglineLabel(box));
    words->addStretch();
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(logo);
    layout->addSpacing(16);
    layout->addLayout(words, 1);
    return box;
}

} // namespace

WelcomePage::WelcomePage(QWidget *parent) : QWidget(parent)
{
    auto *body = new QLabel(welcomeText(), this);
    body->setWordWrap(true);
    body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont font = body->font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    body->setFont(font);

    auto *column = new QVBoxLayout;
    column->addWidget(header(this));
    column->addSpacing(12);
    column->addWidget(body);
    column->addStretch();

    // A readable line length, centred, however wide the window (or projector) is.
    auto *content = new QWidget(this);
    content->setLayout(column);
    content->setMaximumWidth(760);
    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(32, 32, 32, 16);
    outer->addStretch();
    outer->addWidget(content, 10);
    outer->addStretch();
}

QPixmap hoodLogo(int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QSvgRenderer renderer(QString::fromLatin1(kLogoPath));
    QPainter painter(&pixmap);
    renderer.render(&painter);
    painter.end();
    pixmap.setDevicePixelRatio(devicePixelRatio);
    return pixmap;
}

QIcon hoodIcon()
{
    QIcon icon;
    for (int size : {16, 22, 32, 48, 64, 128, 256})
        icon.addPixmap(hoodLogo(size));
    return icon;
}
