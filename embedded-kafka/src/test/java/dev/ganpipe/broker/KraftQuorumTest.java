package dev.ganpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KraftQuorumTest {

    private final KraftQuorum three = new KraftQuorum(Optional.of("cluster-a"), List.of(new KraftQuorum.Node(1, 9092, 19092),
            new KraftQuorum.Node(2, 9093, 19093), new KraftQuorum.Node(3, 9094, 19094)));

    @Test
    void threeNodesShareTheStaticVotersAndBootstrapFromEveryBroker() {
        assertThat(three.voters()).isEqualTo("1@localhost:19092,2@localhost:19093,3@localhost:19094");
        assertThat(three.bootstrapServers()).isEqualTo("localhost:9092,localhost:9093,localhost:9094");
    }

    @Test
    void threeReplicasNeedTwoInSyncAndASingleBrokerOne() {
        assertThat(three.replication()).isEqualTo((short) 3);
        assertThat(three.minInsyncReplicas()).isEqualTo(2);
        KraftQuorum single = KraftQuorum.single(1, 9092, 19092);
        assertThat(single.replication()).isEqualTo((short) 1);
        assertThat(single.minInsyncReplicas()).isEqualTo(1);
    }

    @Test
    void theArgumentAParentPassesANodeReadsBackTheSameQuorum() {
        assertThat(KraftQuorum.parse("cluster-a", three.nodesArgument())).isEqualTo(three);
    }

    @Test
    void aMalformedNodeOrAnUnknownIdIsRefusedWithTheRightForm() {
        assertThatThrownBy(() -> KraftQuorum.parse("c", "1:9092")).hasMessageContaining("id:brokerPort:controllerPort");
        assertThatThrownBy(() -> KraftQuorum.parse("c", "1:x:19092")).hasMessageContaining("with numbers");
        assertThatThrownBy(() -> three.node(4)).hasMessageContaining("[1, 2, 3]");
    }

    @Test
    void membersOfAClusterMustShareAnId() {
        assertThatThrownBy(() -> new KraftQuorum(Optional.empty(), three.nodes())).hasMessageContaining("share a cluster id");
    }
}
