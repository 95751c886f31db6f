// What a step's `measure` action found, under the step's text: a title, the bar
// chart, one sentence of summary, the method in small print, and for translation
// the first blocks, guest instructions beside the host instructions they became.
#pragma once

#include "measureresult.h"

#include <QWidget>

class QLabel;
class QTextBrowser;

namespace hood::gui {

class MeasurePlot;

class MeasureView : public QWidget {
    Q_OBJECT

public:
    explicit MeasureView(QWidget *parent = nullptr);

    void showRunning(const QString &what);
    void showResult(const MeasureResult &result);
    void clear();
    const MeasureResult &result() const { return m_result; }
    // The height that shows every figure at this width without scrolling.
    int preferredHeight(int width) const;

signals:
    // Something else is shown (running, a result, nothing): the step may give it
    // another height.
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *m_inner;
    QLabel *m_title;
    MeasurePlot *m_plot;
    QLabel *m_summary;
    QLabel *m_method;
    QTextBrowser *m_blocks;
    MeasureResult m_result;
};

// The blocks as an HTML table (guest | host), at most `max` of them.
QString blocksHtml(const QList<MeasureBlock> &blocks, int max = 3);

} // namespace hood::gui
