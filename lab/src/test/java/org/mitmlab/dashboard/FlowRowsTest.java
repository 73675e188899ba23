package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mitmlab.event.Decision;
import org.mitmlab.event.FlowEvent;

/** How flow events become the rows that the dashboard and {@code watch} show. */
class FlowRowsTest {
    private final TestEvents ev = new TestEvents();

    @Test
    void interceptedFlowShowsEachRequestWithTheFormFieldsTheBoxRead() {
        List<FlowRow> rows = FlowRows.of(List.of(
                ev.opened("f1", "127.0.0.1:5000"),
                ev.decided("f1", "mail.ru", Decision.INTERCEPT),
                ev.forged("f1", "mail.ru"),
                ev.exchange("f1", "mail.ru", "GET", "/", 200, Map.of()),
                ev.exchange("f1", "mail.ru", "POST", "/login", 200, Map.of("username", "alice", "password", "s3cret")),
                ev.closed("f1", 9000)));
        assertThat(rows).extracting(FlowRow::id).containsExactly("f1/0", "f1/1");
        FlowRow first = rows.get(0);
        assertThat(first.pending()).isFalse();
        assertThat(first.client()).isEqualTo("127.0.0.1:5000");
        assertThat(first.domain()).isEqualTo("mail.ru");
        assertThat(first.decision()).isEqualTo(Decision.INTERCEPT);
        assertThat(first.forged()).as("the page offers the certificate comparison").isTrue();
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.size()).isEqualTo(1234);
        FlowRow login = rows.get(1);
        assertThat(login.path()).isEqualTo("/login");
        assertThat(login.formFields()).isEqualTo(2);
        assertThat(login.detail()).contains("password, username");
    }

    @Test
    void clientThatRefusesTheForgedCertificateGetsOneRejectedRowEvenWhenTheCloseIsRecordedFirst() {
        FlowRows fold = new FlowRows();
        fold.accept(ev.opened("f2", "127.0.0.1:5001"));
        assertThat(fold.accept(ev.decided("f2", "vk.com", Decision.INTERCEPT))).singleElement()
                .satisfies(r -> assertThat(r.pending()).as("waiting for the first request").isTrue());
        fold.accept(ev.forged("f2", "vk.com"));
        assertThat(fold.accept(ev.closed("f2", 2600))).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(FlowRow.NO_REQUEST));
        List<FlowRow> late = fold.accept(ev.rejected("f2", "vk.com", "127.0.0.1:5001"));
        assertThat(late).singleElement().satisfies(r -> {
            assertThat(r.id()).as("the same row, now explained").isEqualTo("f2/0");
            assertThat(r.outcome()).isEqualTo(FlowRow.REJECTED);
            assertThat(r.forged()).isTrue();
            assertThat(r.detail()).startsWith("unknown_ca: ").contains("national root");
            assertThat(r.pending()).isFalse();
        });
    }

    @Test
    void passThroughRowAppearsAtOnceAndLearnsItsSizeAtTheClose() {
        FlowRows fold = new FlowRows();
        fold.accept(ev.opened("f3", "127.0.0.1:5002"));
        FlowRow atDecision = fold.accept(ev.decided("f3", "halykbank.kz", Decision.PASS_THROUGH)).get(0);
        assertThat(atDecision.pending()).isFalse();
        assertThat(atDecision.method()).as("the box cannot read a passed-through request").isNull();
        assertThat(atDecision.size()).isEqualTo(-1);
        FlowRow atClose = fold.accept(ev.closed("f3", 4321)).get(0);
        assertThat(atClose.id()).isEqualTo(atDecision.id());
        assertThat(atClose.size()).isEqualTo(4321);
    }

    @Test
    void refusalMakesOneRowWhetherTheDecisionOrOnlyTheRefusalWasRecorded() {
        List<FlowRow> both = FlowRows.of(List.of(ev.opened("f4", "127.0.0.1:5003"),
                ev.decided("f4", "example.org", Decision.REFUSE), ev.refused("f4", "127.0.0.1:5003", "example.org:443")));
        assertThat(both).singleElement().satisfies(r -> assertThat(r.decision()).isEqualTo(Decision.REFUSE));
        List<FlowRow> onlyRefused = FlowRows.of(List.<FlowEvent>of(ev.refused("f5", "127.0.0.1:5004", "example.org:443")));
        assertThat(onlyRefused).singleElement().satisfies(r -> {
            assertThat(r.domain()).isEqualTo("example.org");
            assertThat(r.client()).isEqualTo("127.0.0.1:5004");
            assertThat(r.detail()).contains("outside the lab");
        });
    }

    @Test
    void interceptionThatTurnsIntoPassThroughKeepsItsRow() {
        List<FlowRow> rows = FlowRows.of(List.of(ev.decided("f6", "vk.com", Decision.INTERCEPT),
                ev.decided("f6", "vk.com", Decision.PASS_THROUGH)));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.decision()).isEqualTo(Decision.PASS_THROUGH);
            assertThat(r.pending()).isFalse();
        });
    }

    @Test
    void failureBeforeAnyRequestIsShownAndOneAfterRequestsIsNot() {
        List<FlowRow> early = FlowRows.of(List.of(ev.decided("f7", "vk.com", Decision.INTERCEPT), ev.failed("f7", "upstream-connect")));
        assertThat(early).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(FlowRow.FAILED);
            assertThat(r.detail()).startsWith("upstream-connect: ");
        });
        List<FlowRow> late = FlowRows.of(List.of(ev.decided("f8", "vk.com", Decision.INTERCEPT),
                ev.exchange("f8", "vk.com", "GET", "/", 200, Map.of()), ev.failed("f8", "relay")));
        assertThat(late).singleElement().satisfies(r -> assertThat(r.outcome()).isNull());
    }

    @Test
    void foldStartingMidFlowStillMakesARowPerRequest() {
        List<FlowRow> rows = FlowRows.of(List.<FlowEvent>of(ev.exchange("f9", "vk.com", "GET", "/feed", 200, Map.of())));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.domain()).isEqualTo("vk.com");
            assertThat(r.decision()).as("an https request the box read was intercepted").isEqualTo(Decision.INTERCEPT);
            assertThat(r.client()).isNull();
        });
    }
}
