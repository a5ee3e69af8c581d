package dev.ganpipe.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile can be built on base images made elsewhere (deploy-check/containers.sh makes its own, with no
 * registry): every base image comes from a build argument, and the script passes only arguments the Dockerfile has.
 */
class DockerfileTest {

    private static final Pattern BUILD_ARG = Pattern.compile("--build-arg\\s+(\\w+)=");

    @Test
    void everyBaseImageComesFromABuildArgument() {
        Dockerfile dockerfile = Dockerfile.read();
        assertThat(dockerfile.baseImages()).isNotEmpty();
        assertThat(dockerfile.literalBaseImages())
                .as("base images written into a FROM line; declare an ARG with the image as its default and use FROM ${NAME}")
                .isEmpty();
    }

    @Test
    void theContainerScriptPassesOnlyArgumentsTheDockerfileDeclares() {
        Set<String> passed = new TreeSet<>();
        Matcher arg = BUILD_ARG.matcher(Repo.text("deploy-check/containers.sh"));
        while (arg.find()) {
            passed.add(arg.group(1));
        }
        assertThat(passed).contains("MAVEN_IMAGE", "JRE_IMAGE");
        assertThat(Dockerfile.read().buildArgs()).containsAll(passed);
    }
}
