#include "lessonbrowser.h"

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QStyle>
#include <QSvgRenderer>
#include <QTextDocument>

namespace hood::gui {

LessonBrowser::LessonBrowser(QWidget *parent) : QTextBrowser(parent)
{
    setObjectName("lessonBrowser");
    // Links are the dock's business: another lesson opens in the dock, a web page in
    // the desktop's browser.
    setOpenLinks(false);
    setFrameShape(QFrame::NoFrame);
    document()->setDocumentMargin(12);
}

void LessonBrowser::showMarkdown(const QString &markdown, const QString &lessonDir)
{
    m_markdown = markdown;
    m_dir = lessonDir;
    render();
    verticalScrollBar()->setValue(0);
}

void LessonBrowser::setScale(double scale)
{
    m_scale = scale;
    const int scroll = verticalScrollBar()->value();
    render();
    verticalScrollBar()->setValue(scroll);
}

void LessonBrowser::render()
{
    m_renderedWidthLimit = imageWidthLimit();
    // setMarkdown clears the document and with it the images it loaded, so every
    // image is drawn again at the new size.
    setMarkdown(m_markdown);
}

QVariant LessonBrowser::loadResource(int type, const QUrl &name)
{
    if (type != QTextDocument::ImageResource || !name.isRelative() || m_dir.isEmpty())
        return QTextBrowser::loadResource(type, name);
    const QString path = QDir(m_dir).absoluteFilePath(name.path());
    const QImage image = renderImage(path);
    return image.isNull() ? QVariant() : QVariant(image);
}

// SVGs are drawn at their natural size times the scale, shrunk to the view's width;
// other images are only shrunk.
QImage LessonBrowser::renderImage(const QString &path) const
{
    const int limit = imageWidthLimit();
    const qreal dpr = devicePixelRatioF();
    if (!path.endsWith(".svg", Qt::CaseInsensitive)) {
        QImage image(path);
        return image.width() > limit ? image.scaledToWidth(limit, Qt::SmoothTransformation) : image;
    }
    QSvgRenderer svg(path);
    if (!svg.isValid())
        return {};
    QSizeF size = QSizeF(svg.defaultSize()) * m_scale;
    if (size.width() > limit)
        size *= limit / size.width();
    QImage image((size * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    svg.render(&painter);
    painter.end();
    image.setDevicePixelRatio(dpr);
    return image;
}

int LessonBrowser::imageWidthLimit() const
{
    // Leave room for the vertical scroll bar even before it appears: a long step
    // gets one once its images are laid out, and the images must still fit.
    const int scrollBar = verticalScrollBar()->isVisible()
                              ? 0
                              : style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, this);
    const int margins = 2 * int(document()->documentMargin()) + 4;
    return std::max(120, viewport()->width() - scrollBar - margins);
}

void LessonBrowser::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);
    // Redraw the images only when the width limit really changed, not on every
    // pixel of a splitter drag.
    if (!m_markdown.isEmpty() && std::abs(imageWidthLimit() - m_renderedWidthLimit) > 24)
        setScale(m_scale);
}

} // namespace hood::gui
