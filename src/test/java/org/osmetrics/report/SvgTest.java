package org.osmetrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The showback's small SVG charts: well-formed, proportional, round ticks, every text escaped. */
class SvgTest {

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", name);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static double attribute(Element element, String name) {
        return Double.parseDouble(element.getAttribute(name));
    }

    @Test
    void stackedBarsAreProportionalToTheirValuesAndStackedOnTheBaseline() throws Exception {
        String svg = Svg.stackedBars("usage", List.of("a", "b"), List.of(
                new Svg.Series("one", "#111111", Arrays.asList(10.0, 30.0)),
                new Svg.Series("two", "#222222", Arrays.asList(20.0, null))), "h", 400, 200);

        List<Element> bars = elements(parse(svg), "rect");
        assertThat(bars).hasSize(3); // no rectangle for a missing value
        double one = attribute(bars.get(0), "height");
        double two = attribute(bars.get(1), "height");
        double three = attribute(bars.get(2), "height");
        assertThat(two / one).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(three / one).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.02));
        // the second segment sits on the first
        assertThat(attribute(bars.get(1), "y") + two).isCloseTo(attribute(bars.get(0), "y"),
                org.assertj.core.data.Offset.offset(0.11));
        assertThat(elements(parse(svg), "title").stream().map(Element::getTextContent))
                .contains("usage", "one, a: 10 h", "two, a: 20 h", "one, b: 30 h");
    }

    @Test
    void ticksAreRoundStepsThatCoverTheMaximum() {
        assertThat(Svg.ticks(779.09)).containsExactly(0, 200, 400, 600, 800);
        assertThat(Svg.ticks(6718.58)).containsExactly(0, 2000, 4000, 6000, 8000);
        assertThat(Svg.ticks(2.5)).containsExactly(0, 1, 2, 3);
        assertThat(Svg.ticks(100)).containsExactly(0, 50, 100);
        assertThat(Svg.ticks(0)).containsExactly(0, 1);
        assertThat(Svg.ticks(Double.NaN)).containsExactly(0, 1);
    }

    @Test
    void everyTextIsEscaped() throws Exception {
        String name = "<script>alert(1)</script> Zürich café – 日本 & \"quotes\"";
        String bars = Svg.stackedBars(name, List.of(name), List.of(new Svg.Series(name, "#123456", List.of(1.0))), name, 300, 150);
        String lines = Svg.lines(name, List.of(name), List.of(new Svg.Series(name, "#123456", List.of(1.0))), name, 300, 150);
        String horizontal = Svg.horizontalBars(name, List.of(name), List.of(1.0), "#123456", name, 300);

        for (String svg : List.of(bars, lines, horizontal)) {
            assertThat(svg).doesNotContain("<script");
            Document document = parse(svg); // well-formed
            assertThat(document.getDocumentElement().getAttribute("aria-label")).isEqualTo(name);
            assertThat(elements(document, "script")).isEmpty();
        }
    }

    @Test
    void aLineHasOnePointPerValueAndSkipsMissingOnes() throws Exception {
        String svg = Svg.lines("trend", List.of("1", "2", "3"),
                List.of(new Svg.Series("cost", "#4e79a7", Arrays.asList(1.0, null, 3.0))), "EUR", 300, 150);

        Document document = parse(svg);
        assertThat(elements(document, "circle")).hasSize(2);
        assertThat(elements(document, "polyline").get(0).getAttribute("points").split(" ")).hasSize(2);
    }

    @Test
    void horizontalBarsScaleToTheLongestAndEmptyDataDrawsNoBar() throws Exception {
        List<Element> bars = elements(parse(Svg.horizontalBars("f", List.of("x", "y"), List.of(4.0, 1.0), "#000", "h", 500)),
                "rect");
        assertThat(attribute(bars.get(0), "width") / attribute(bars.get(1), "width"))
                .isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(elements(parse(Svg.stackedBars("none", List.of(), List.of(), "h", 300, 150)), "rect")).isEmpty();
    }

    @Test
    void aSeriesOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> Svg.stackedBars("x", List.of("a", "b"),
                List.of(new Svg.Series("s", "#000", List.of(1.0))), "h", 300, 150))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 values for 2 categories");
    }
}
