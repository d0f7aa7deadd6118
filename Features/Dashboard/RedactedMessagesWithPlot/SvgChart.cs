using System.Globalization;
using System.Net;
using System.Text;

namespace KoopidDashboard.Features.Dashboard.RedactedMessagesWithPlot;

/// <summary>One stacked series: a name for the legend, a fill colour, one value per category.</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<long> Values);

/// <summary>What to draw: a (stacked) bar chart with a title, axis labels and, when asked, a legend of the series.</summary>
public sealed record ChartSpec(string Title, string Subtitle, string XLabel, string YLabel, IReadOnlyList<string> Categories,
    IReadOnlyList<ChartSeries> Series, bool Legend);

/// <summary>
/// Renders a self-contained HTML page holding an inline SVG bar chart: no script, no external resource (a
/// Content-Security-Policy of <c>default-src 'none'</c> makes sure), every text HTML-escaped. Hand-written rather than a
/// charting package: the served .NET chart libraries draw through SkiaSharp (native) or emit script (Plotly), and a
/// bar chart with axes and a legend is this one small file whose output is easy to check.
/// </summary>
public static class SvgChart
{
    private const int Width = 880, Height = 540;
    private const int Left = 72, Right = 24, Top = 86, Bottom = 96;
    private const int MaxLabels = 24;

    public static string Page(ChartSpec chart) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        + $"<title>{Esc(chart.Title)}</title>"
        + "<style>body{margin:0;background:#fff;font-family:sans-serif}</style></head>\n<body>\n"
        + Svg(chart) + "\n</body></html>\n";

    public static string Svg(ChartSpec chart)
    {
        var n = chart.Categories.Count;
        var totals = Enumerable.Range(0, n).Select(i => chart.Series.Sum(s => s.Values[i])).ToArray();
        var (axisMax, step) = NiceScale(totals.DefaultIfEmpty(0).Max());
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double Y(double v) => Top + plotH - v / axisMax * plotH;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" font-family=\"sans-serif\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Esc(chart.Title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">{Esc(chart.Title)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"48\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\">{Esc(chart.Subtitle)}</text>");

        // y axis: grid lines and tick labels
        for (var v = 0L; v <= axisMax; v += step)
        {
            var y = F(Y(v));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Width - Right}\" y2=\"{y}\" stroke=\"#e0e0e0\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{y}\" dy=\"4\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">{v}</text>");
        }

        // bars, stacked in series order
        var slot = n == 0 ? plotW : (double)plotW / n;
        var barW = Math.Max(1, slot * 0.72);
        for (var i = 0; i < n; i++)
        {
            var x = Left + i * slot + (slot - barW) / 2;
            double stacked = 0;
            foreach (var series in chart.Series)
            {
                var value = series.Values[i];
                if (value <= 0)
                    continue;
                var yTop = Y(stacked + value);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(yTop)}\" width=\"{F(barW)}\" height=\"{F(Y(stacked) - yTop)}\" fill=\"{Esc(series.Color)}\">");
                svg.Append(CultureInfo.InvariantCulture, $"<title>{Esc(chart.Categories[i])} · {Esc(series.Name)}: {value}</title></rect>");
                stacked += value;
            }
            if (n <= 31 && totals[i] > 0)
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + barW / 2)}\" y=\"{F(Y(totals[i]) - 4)}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#333\">{totals[i]}</text>");
        }

        // x axis: every k-th category label, rotated when long
        var every = Math.Max(1, (int)Math.Ceiling(n / (double)MaxLabels));
        var rotate = chart.Categories.Any(c => c.Length > 3);
        for (var i = 0; i < n; i += every)
        {
            var x = F(Left + i * slot + slot / 2);
            var y = Top + plotH + 16;
            svg.Append(rotate
                ? string.Create(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y}\" transform=\"rotate(-40 {x} {y})\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">{Esc(chart.Categories[i])}</text>")
                : string.Create(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">{Esc(chart.Categories[i])}</text>"));
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" stroke=\"#333\" stroke-width=\"1.5\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Width - Right}\" y2=\"{Top + plotH}\" stroke=\"#333\" stroke-width=\"1.5\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#222\">{Esc(chart.XLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{Top + plotH / 2}\" transform=\"rotate(-90 18 {Top + plotH / 2})\" text-anchor=\"middle\" font-size=\"13\" fill=\"#222\">{Esc(chart.YLabel)}</text>");

        if (chart.Legend)
        {
            var lx = Left;
            foreach (var series in chart.Series)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"60\" width=\"14\" height=\"14\" fill=\"{Esc(series.Color)}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 20}\" y=\"72\" font-size=\"12\" fill=\"#222\">{Esc(series.Name)}</text>");
                lx += 30 + 8 * series.Name.Length + 20;
            }
        }
        if (totals.Sum() == 0)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2}\" y=\"{Top + plotH / 2}\" text-anchor=\"middle\" font-size=\"16\" fill=\"#888\">No redacted messages in this range</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>An axis top of 1, 2 or 5 × 10^k steps (about five of them) at or above <paramref name="max"/>.</summary>
    public static (long Max, long Step) NiceScale(long max)
    {
        if (max <= 5)
            return (Math.Max(max, 1), 1);
        var raw = max / 5.0;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = (long)(new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw));
        return ((long)Math.Ceiling(max / (double)step) * step, step);
    }

    private static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
