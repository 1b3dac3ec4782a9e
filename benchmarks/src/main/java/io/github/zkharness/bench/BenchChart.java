package io.github.zkharness.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The results as a PNG, drawn with java.awt in headless mode: one panel per scenario (each with its own scale), the
 * median of each side as a bar, min to max as a whisker, and the ratio harness/curator in the panel's corner.
 */
final class BenchChart {

    private static final Color HARNESS = new Color(0x1F, 0x77, 0xB4);
    private static final Color CURATOR = new Color(0xF2, 0x8E, 0x2B);
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x77, 0x77, 0x77);
    private static final Color GRID = new Color(0xE3, 0xE3, 0xE3);
    private static final String FONT = Font.SANS_SERIF;

    private static final int WIDTH = 1600;
    private static final int COLUMNS = 4;
    private static final int PANEL_HEIGHT = 330;
    private static final int HEADER = 150;
    private static final int FOOTER = 56;
    private static final int MARGIN = 24;

    private BenchChart() {}

    static void write(Path file, List<Result> all, String subtitle) throws IOException {
        List<Result> results = new ArrayList<>();
        for (Result r : all) {
            if (r.error == null && !r.harness.isEmpty()) {
                results.add(r);
            }
        }
        int rows = Math.max(1, (results.size() + COLUMNS - 1) / COLUMNS);
        int height = HEADER + rows * PANEL_HEIGHT + FOOTER;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            header(g, subtitle);
            int panelWidth = (WIDTH - 2 * MARGIN) / COLUMNS;
            for (int i = 0; i < results.size(); i++) {
                int x = MARGIN + (i % COLUMNS) * panelWidth;
                int y = HEADER + (i / COLUMNS) * PANEL_HEIGHT;
                panel(g, results.get(i), x, y, panelWidth, PANEL_HEIGHT);
            }
            g.setColor(MUTED);
            g.setFont(new Font(FONT, Font.PLAIN, 19));
            g.drawString(
                    "Lower is better, except link_overhead (1 = links cost nothing). Bars: median; whiskers: min to max."
                            + " Each panel has its own scale.",
                    MARGIN,
                    height - 22);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void header(Graphics2D g, String subtitle) {
        g.setColor(INK);
        g.setFont(new Font(FONT, Font.BOLD, 34));
        g.drawString(
                "zk-harness vs Curator TestingCluster " + ZkBench.CURATOR_VERSION + ", ZooKeeper "
                        + org.apache.zookeeper.Version.getFullVersion().replaceAll("[- ].*", ""),
                MARGIN,
                52);
        g.setFont(new Font(FONT, Font.PLAIN, 21));
        g.setColor(MUTED);
        g.drawString(subtitle, MARGIN, 90);
        // legend
        int y = 118;
        int x = MARGIN;
        g.setFont(new Font(FONT, Font.PLAIN, 21));
        for (Object[] entry : new Object[][] {{HARNESS, "zk-harness"}, {CURATOR, "Curator TestingCluster"}}) {
            g.setColor((Color) entry[0]);
            g.fillRect(x, y - 16, 22, 18);
            g.setColor(INK);
            g.drawString((String) entry[1], x + 30, y);
            x += 30 + g.getFontMetrics().stringWidth((String) entry[1]) + 40;
        }
    }

    private static void panel(Graphics2D g, Result r, int x, int y, int w, int h) {
        int pad = 14;
        // frame
        g.setColor(GRID);
        g.setStroke(new BasicStroke(1.5f));
        g.drawRoundRect(x + 4, y + 4, w - 8, h - 8, 12, 12);
        // title, description, then the unit (left) and the ratio (right) above the plot
        g.setColor(INK);
        int titleSize = 23;
        g.setFont(new Font(FONT, Font.BOLD, titleSize));
        while (titleSize > 14 && g.getFontMetrics().stringWidth(r.scenario) > w - 2 * pad) {
            g.setFont(new Font(FONT, Font.BOLD, --titleSize));
        }
        g.drawString(r.scenario, x + pad, y + 34);
        g.setColor(MUTED);
        g.setFont(new Font(FONT, Font.PLAIN, 16));
        g.drawString(fit(g, r.description, w - 2 * pad), x + pad, y + 58);

        int left = x + 70;
        int right = x + w - pad - 6;
        int top = y + 114;
        int bottom = y + h - 46;
        double[] hs = r.stats(r.harness);
        double[] cs = r.stats(r.curator);
        double max = Math.max(hs[2], cs == null ? 0 : cs[2]);
        if (r.unit == Result.Unit.RATIO) {
            max = Math.max(max, 1.0);
        }
        boolean seconds = r.unit == Result.Unit.MS && max >= 5000;
        double scale = seconds ? 1000 : 1;
        double top_ = niceCeiling(max / scale * 1.08);
        String unitLabel = switch (r.unit) {
            case MS -> seconds ? "s" : "ms";
            case THREADS -> "threads";
            case RATIO -> "linked / direct";
            case MB -> "MB of heap";
        };
        g.setFont(new Font(FONT, Font.PLAIN, 15));
        g.setColor(MUTED);
        g.drawString(unitLabel, x + pad, y + 86);
        double ratio = r.ratio();
        String corner =
                r.curator == null ? "harness only" : Double.isNaN(ratio) ? "" : "harness/Curator " + fmt(ratio, 2);
        g.setFont(new Font(FONT, r.curator == null ? Font.PLAIN : Font.BOLD, r.curator == null ? 15 : 18));
        g.setColor(r.curator == null ? MUTED : INK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(corner, x + w - pad - fm.stringWidth(corner), y + 86);

        // grid and y labels
        g.setFont(new Font(FONT, Font.PLAIN, 15));
        fm = g.getFontMetrics();
        for (int i = 0; i <= 4; i++) {
            double v = top_ * i / 4;
            int gy = bottom - (int) Math.round((bottom - top) * (double) i / 4);
            g.setColor(GRID);
            g.drawLine(left, gy, right, gy);
            g.setColor(MUTED);
            String label = tick(v);
            g.drawString(label, left - 8 - fm.stringWidth(label), gy + 5);
        }
        if (r.unit == Result.Unit.RATIO) {
            int gy = bottom - (int) Math.round((bottom - top) * (1.0 / top_));
            g.setColor(MUTED);
            Stroke old = g.getStroke();
            g.setStroke(
                    new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            g.drawLine(left, gy, right, gy);
            g.setStroke(old);
            g.setFont(new Font(FONT, Font.PLAIN, 15));
            g.drawString("direct = 1", right - g.getFontMetrics().stringWidth("direct = 1"), gy - 6);
        }

        // bars
        int slots = 2;
        int slot = (right - left) / slots;
        int barWidth = Math.min(90, slot / 2);
        bar(
                g,
                r,
                hs,
                HARNESS,
                left + slot / 2 - barWidth / 2,
                barWidth,
                top,
                bottom,
                top_,
                scale,
                seconds,
                r.unit == Result.Unit.RATIO ? "links/direct" : "zk-harness");
        int cx = left + slot + slot / 2 - barWidth / 2;
        if (cs != null) {
            bar(g, r, cs, CURATOR, cx, barWidth, top, bottom, top_, scale, seconds, "Curator");
        } else if (r.unit != Result.Unit.RATIO) {
            g.setColor(MUTED);
            Stroke old = g.getStroke();
            g.setStroke(
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 5f}, 0f));
            g.drawRect(cx, bottom - 60, barWidth, 60);
            g.setStroke(old);
            g.setFont(new Font(FONT, Font.PLAIN, 17));
            fm = g.getFontMetrics();
            g.drawString("n/a", cx + barWidth / 2 - fm.stringWidth("n/a") / 2, bottom - 24);
            label(g, "Curator", cx + barWidth / 2, bottom);
        }
    }

    private static void bar(
            Graphics2D g,
            Result r,
            double[] s,
            Color color,
            int x,
            int w,
            int top,
            int bottom,
            double topValue,
            double scale,
            boolean seconds,
            String name) {
        double median = s[0] / scale;
        double min = s[1] / scale;
        double max = s[2] / scale;
        int yMedian = y(median, top, bottom, topValue);
        g.setColor(color);
        g.fillRect(x, yMedian, w, bottom - yMedian);
        // whisker
        int cx = x + w / 2;
        int yMin = y(min, top, bottom, topValue);
        int yMax = y(max, top, bottom, topValue);
        g.setColor(INK);
        g.setStroke(new BasicStroke(2f));
        g.drawLine(cx, yMin, cx, yMax);
        g.drawLine(cx - 10, yMin, cx + 10, yMin);
        g.drawLine(cx - 10, yMax, cx + 10, yMax);
        // value
        String value = switch (r.unit) {
            case MS -> seconds ? fmt(median, median < 10 ? 2 : 1) + " s" : fmt(median, median < 10 ? 1 : 0) + " ms";
            case THREADS -> fmt(median, median == Math.rint(median) ? 0 : 1);
            case RATIO -> fmt(median, 2);
            case MB -> fmt(median, 1) + " MB";
        };
        g.setFont(new Font(FONT, Font.BOLD, 18));
        FontMetrics fm = g.getFontMetrics();
        int ty = Math.min(yMax, yMedian) - 8;
        g.drawString(value, cx - fm.stringWidth(value) / 2, Math.max(top - 4, ty));
        label(g, name, cx, bottom);
    }

    private static void label(Graphics2D g, String name, int cx, int bottom) {
        g.setColor(INK);
        g.setFont(new Font(FONT, Font.PLAIN, 17));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(name, cx - fm.stringWidth(name) / 2, bottom + 24);
    }

    /** {@code text}, cut with an ellipsis to fit {@code width}. */
    private static String fit(Graphics2D g, String text, int width) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String t = text;
        while (!t.isEmpty() && fm.stringWidth(t + "\u2026") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "\u2026";
    }

    private static int y(double v, int top, int bottom, double topValue) {
        return bottom - (int) Math.round((bottom - top) * Math.min(v, topValue) / topValue);
    }

    /** 1, 1.2, 1.6, 2, 2.4, 3, 4, 6 or 8 times a power of ten (quarters that read well), at least {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.6, 2, 2.4, 3, 4, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String tick(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return v >= 1 ? fmt(v, 1) : fmt(v, 2);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
