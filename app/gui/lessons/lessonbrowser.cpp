#include "lessonbrowser.h"

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStyle>
#include <QSvgRenderer>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextTable>
#include <QToolTip>

namespace hood::gui {

LessonBrowser::LessonBrowser(QWidget *parent) : QTextBrowser(parent)
{
    setObjectName("lessonBrowser");
    // Links are the dock's business: another lesson opens in the dock, a web page in
    // the desktop's browser.
    setOpenLinks(false);
    setFrameShape(QFrame::NoFrame);
    document()->setDocumentMargin(12);
    document()->setUndoRedoEnabled(false); // fitBlocks() edits every document
    viewport()->setMouseTracking(true);    // the hand over a diagram
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
    fitBlocks();
}

// A step's title one size above its text (QTextFormat's size adjustment 1 is 1.2
// times the body), its subheadings ("Try it") bold at the body's size, and room
// above each so it still reads as a heading. Code blocks wrap: a command cut at the
// dock's edge behind a horizontal scroll bar cannot be read from the back of a room,
// and neither can a table's last column. A list's items sit close together.
void LessonBrowser::fitBlocks()
{
    // Tables take the text's width and no more, in a smaller size: their columns
    // wrap their words rather than push the last column out of the dock.
    for (QTextFrame *frame : document()->rootFrame()->childFrames()) {
        if (auto *table = qobject_cast<QTextTable *>(frame)) {
            QTextTableFormat format = table->format();
            format.setWidth(QTextLength(QTextLength::PercentageLength, 98)); // its borders too
            format.setCellPadding(3);
            table->setFormat(format);
            // A size smaller than the prose (0.8 times), so fewer words must break.
            QTextCharFormat smaller;
            smaller.setProperty(QTextFormat::FontSizeAdjustment, -1);
            QTextCursor cells = table->firstCursorPosition();
            cells.setPosition(table->lastCursorPosition().position(), QTextCursor::KeepAnchor);
            cells.mergeCharFormat(smaller);
        }
    }
    QTextCursor cursor(document());
    const qreal line = fontMetrics().height();
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        const int level = format.headingLevel();
        cursor.setPosition(block.position());
        // A list's items close together (what "Do it" does takes a line each).
        if (block.textList()) {
            format.setTopMargin(0);
            format.setBottomMargin(line * 0.15);
            cursor.setBlockFormat(format);
            continue;
        }
        if (level == 0) {
            if (format.nonBreakableLines()) { // a code block
                format.setNonBreakableLines(false);
                cursor.setBlockFormat(format);
            }
            continue;
        }
        QTextCharFormat size;
        size.setProperty(QTextFormat::FontSizeAdjustment, level <= 2 ? 1 : 0);
        QTextBlockFormat spacing;
        spacing.setTopMargin(line * (level <= 2 ? 0.3 : 0.8));
        spacing.setBottomMargin(line * 0.25);
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
        cursor.mergeCharFormat(size);
        cursor.mergeBlockFormat(spacing);
    }
}

std::pair<QString, QString> LessonBrowser::imageAt(const QPoint &viewportPos) const
{
    const QPointF at = QPointF(viewportPos) + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
    const QTextFormat format = document()->documentLayout()->formatAt(at);
    if (!format.isImageFormat() || m_dir.isEmpty())
        return {};
    const QTextImageFormat image = format.toImageFormat();
    const QUrl name(image.name());
    if (name.isEmpty() || !name.isRelative())
        return {};
    QString alt = image.property(QTextFormat::ImageAltText).toString();
    if (alt.isEmpty())
        alt = image.property(QTextFormat::ImageTitle).toString();
    return {QDir(m_dir).absoluteFilePath(name.path()), alt};
}

void LessonBrowser::mouseMoveEvent(QMouseEvent *event)
{
    QTextBrowser::mouseMoveEvent(event);
    const bool over = !imageAt(event->position().toPoint()).first.isEmpty()
                      && anchorAt(event->position().toPoint()).isEmpty();
    if (over == m_overImage)
        return;
    m_overImage = over;
    // A diagram drawn to the dock's width is small on a projector: the hand says a
    // click shows it large.
    if (over) {
        viewport()->setCursor(Qt::PointingHandCursor);
        QToolTip::showText(event->globalPosition().toPoint(), tr("Click to see the diagram large"), viewport());
    } else {
        viewport()->setCursor(Qt::ArrowCursor);
    }
}

void LessonBrowser::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint at = event->position().toPoint();
    const bool selecting = textCursor().hasSelection();
    QTextBrowser::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton || selecting || !anchorAt(at).isEmpty())
        return;
    const auto [path, alt] = imageAt(at);
    if (!path.isEmpty())
        emit imageClicked(path, alt);
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
// other images are only shrunk. A shrunk one carries a small mark in its corner:
// a click shows it large.
QImage LessonBrowser::renderImage(const QString &path) const
{
    const int limit = imageWidthLimit();
    const qreal dpr = devicePixelRatioF();
    if (!path.endsWith(".svg", Qt::CaseInsensitive)) {
        QImage image(path);
        if (image.width() <= limit)
            return image;
        image = image.scaledToWidth(limit, Qt::SmoothTransformation).convertToFormat(QImage::Format_ARGB32_Premultiplied);
        markEnlargeable(image);
        return image;
    }
    QSvgRenderer svg(path);
    if (!svg.isValid())
        return {};
    QSizeF size = QSizeF(svg.defaultSize()) * m_scale;
    const bool shrunk = size.width() > limit;
    if (shrunk)
        size *= limit / size.width();
    QImage image((size * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    svg.render(&painter);
    painter.end();
    image.setDevicePixelRatio(dpr);
    if (shrunk)
        markEnlargeable(image);
    return image;
}

// A magnifier's "+" in a rounded box at the bottom right, in the text's colours.
void LessonBrowser::markEnlargeable(QImage &image) const
{
    const qreal dpr = image.devicePixelRatio();
    const qreal side = fontMetrics().height() * 1.2;
    const QSizeF logical = QSizeF(image.size()) / dpr;
    const QRectF box(logical.width() - side - 2, logical.height() - side - 2, side, side);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(palette().color(QPalette::Text), 1));
    p.setBrush(palette().color(QPalette::Base));
    p.drawRoundedRect(box, 4, 4);
    QFont f = font();
    f.setBold(true);
    f.setPixelSize(int(side * 0.8));
    p.setFont(f);
    p.drawText(box, Qt::AlignCenter, QStringLiteral("+"));
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
