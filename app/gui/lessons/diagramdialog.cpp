#include "diagramdialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScreen>
#include <QSvgRenderer>
#include <QVBoxLayout>

namespace hood::gui {

DiagramCanvas::DiagramCanvas(const QString &path, QWidget *parent) : QWidget(parent)
{
    setObjectName("diagramCanvas");
    if (path.endsWith(".svg", Qt::CaseInsensitive))
        m_svg = new QSvgRenderer(path, this);
    else
        m_image.load(path);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Click or press Escape to close"));
}

bool DiagramCanvas::isValid() const
{
    return m_svg ? m_svg->isValid() : !m_image.isNull();
}

QSize DiagramCanvas::naturalSize() const
{
    return m_svg ? m_svg->defaultSize() : m_image.size();
}

QRect DiagramCanvas::drawnRect() const
{
    const QSize natural = naturalSize();
    if (natural.isEmpty())
        return {};
    const QSize size = natural.scaled(rect().size(), Qt::KeepAspectRatio);
    QRect r(QPoint(0, 0), size);
    r.moveCenter(rect().center());
    return r;
}

void DiagramCanvas::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    // The diagrams are drawn for the text's background, as in the step.
    painter.fillRect(rect(), palette().base());
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    if (m_svg && m_svg->isValid())
        m_svg->render(&painter, drawnRect());
    else if (!m_image.isNull())
        painter.drawImage(drawnRect(), m_image);
}

void DiagramCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        emit clicked();
}

DiagramDialog::DiagramDialog(const QString &path, const QString &caption, QWidget *parent)
    : QDialog(parent), m_canvas(new DiagramCanvas(path, this))
{
    setObjectName("diagramDialog");
    setWindowTitle(caption.isEmpty() ? QFileInfo(path).fileName() : caption);
    setAttribute(Qt::WA_DeleteOnClose);
    auto *text = new QLabel(caption.toHtmlEscaped(), this);
    text->setObjectName("diagramCaption");
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setVisible(!caption.isEmpty());
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_canvas, &DiagramCanvas::clicked, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(text);
    layout->addWidget(buttons);
    // Most of the window it came from: on a projector, the whole room reads it.
    const QWidget *window = parent ? parent->window() : nullptr;
    const QRect area = window ? window->geometry() : screen()->availableGeometry();
    resize(area.size() * 0.85);
    if (window)
        move(area.center() - rect().center());
}

} // namespace hood::gui
