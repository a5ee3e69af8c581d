package dev.ganpipe.bench.endurance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatusTest {

    private static final String STATUS = """
            Name:	java
            VmPeak:	 9000000 kB
            VmRSS:	  812344 kB
            RssAnon:	  700100 kB
            RssFile:	  112244 kB
            Threads:	42
            """;

    @Test
    void readsTheResidentSetAndAnonymousMemoryInKib() {
        assertThat(ProcStatus.kib(STATUS, ProcStatus.VM_RSS)).hasValue(812_344);
        assertThat(ProcStatus.kib(STATUS, ProcStatus.RSS_ANON)).hasValue(700_100);
    }

    @Test
    void aMissingFieldIsEmptyAndAFieldWithoutKbIsRefused() {
        assertThat(ProcStatus.kib(STATUS, "VmSwap")).isEmpty();
        assertThatThrownBy(() -> ProcStatus.kib(STATUS, "Threads")).hasMessageContaining("not '<number> kB'");
    }

    @Test
    void thisProcessHasAResidentSetOnLinux() {
        if (ProcStatus.available()) {
            assertThat(ProcStatus.kib(ProcStatus.self(), ProcStatus.VM_RSS).orElseThrow()).isPositive();
        }
    }

    @Test
    void aChildSampleLineParsesAndItsNativeShareExcludesWhatTheJvmCommitted() {
        TrainerMemory.Sample s = TrainerMemory.Sample.parse("sample 1000 900000 800000 1000 524288000 12.5").orElseThrow();
        assertThat(s.step()).isEqualTo(1000);
        assertThat(s.rssKib()).isEqualTo(900_000);
        assertThat(s.nativeKib()).isEqualTo(800_000 - 512_000);
        assertThat(s.seconds()).isEqualTo(12.5);
        assertThat(TrainerMemory.Sample.parse("[main] INFO something else")).isEmpty();
    }

    @Test
    void theMiddleSampleIsTheThousandNearestHalfWayAndTheSeriesListsEveryThousand() {
        java.util.List<TrainerMemory.Sample> samples = new java.util.ArrayList<>();
        for (long step : new long[] {0, 100, 1000, 2000, 3000, 4000, 5000}) {
            samples.add(new TrainerMemory.Sample(step, 1024 * (700 + step / 1000), 0, 0, 0, step / 10.0));
        }
        TrainerMemory.Sample last = samples.getLast();
        assertThat(TrainerMemory.middle(samples, last).step()).isEqualTo(3000);
        TrainerMemory.Result r = new TrainerMemory.Result(samples, samples.get(2), TrainerMemory.middle(samples, last), last, "512m", "");
        assertThat(r.series()).isEqualTo("701 702 703 704 705");
        assertThat(r.ratio()).isEqualTo(705.0 / 701.0);
    }
}
