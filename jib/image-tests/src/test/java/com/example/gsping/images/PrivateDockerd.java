package com.example.gsping.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine of the test's own, never the shared one: its own {@code dockerd} with its own data root, exec
 * root (and so its own containerd), socket and pid file, no bridge and no iptables rules (containers use
 * {@code --network host}, as everywhere here). The user's images and containers are in another daemon, so
 * nothing a test does here can touch them. {@link #close()} stops the daemon this started (its pid only) and
 * deletes its directories.
 */
final class PrivateDockerd implements AutoCloseable {

    private static final long READY_SECONDS = 60;

    private final Process process;
    private final Path dataRoot;
    private final Path runDir;
    private final DockerCli cli;

    private PrivateDockerd(Process process, Path dataRoot, Path runDir, DockerCli cli) {
        this.process = process;
        this.dataRoot = dataRoot;
        this.runDir = runDir;
        this.cli = cli;
    }

    /**
     * Starts one with its data under {@code dataRoot} (overlay2 needs a real file system, not tmpfs) and its
     * sockets in a short directory under /tmp (a unix socket path must fit in 108 bytes).
     */
    static PrivateDockerd start(Path dataRoot) throws Exception {
        // what a killed run left there: its daemon's mounts would make the tree undeletable, even by `mvn clean`
        unmountUnder(dataRoot);
        FileTrees.delete(dataRoot);
        Files.createDirectories(dataRoot);
        String id = "gsping-it-" + UUID.randomUUID().toString().substring(0, 8);
        Path runDir = Files.createTempDirectory(id);
        Path socket = runDir.resolve("docker.sock");
        Path log = dataRoot.resolve("dockerd.log");
        Process process;
        try {
            process = new ProcessBuilder(System.getProperty("dockerd.binary", "dockerd"),
                    "--data-root", dataRoot.resolve("data").toString(),
                    "--exec-root", runDir.resolve("exec").toString(),
                    "--pidfile", runDir.resolve("dockerd.pid").toString(),
                    "--host", "unix://" + socket,
                    "--containerd-namespace", id,
                    "--containerd-plugins-namespace", id + "-plugins",
                    "--bridge=none", "--iptables=false", "--ip-masq=false", "--storage-driver=overlay2")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start dockerd (" + e.getMessage() + "); install it: bash jib/local-env.sh", e);
        }
        PrivateDockerd daemon = new PrivateDockerd(process, dataRoot, runDir,
                new DockerCli(Map.of("DOCKER_HOST", "unix://" + socket, "DOCKER_CONFIG", runDir.resolve("client").toString())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (daemon.cli.run("version", "--format", "{{.Server.Version}}").exitCode() != 0) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                daemon.close();
                throw new AssertionError("own dockerd did not come up within " + READY_SECONDS + " s: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return daemon;
    }

    /** The CLI pointed at this daemon (DOCKER_HOST), with a client config dir of its own (DOCKER_CONFIG). */
    DockerCli cli() {
        return cli;
    }

    /** What a command needs in its environment to talk to this daemon, as {@link #cli()} does. */
    Map<String, String> env() {
        return cli.env();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: dockerd stops its containers and containerd and unmounts its layers
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        unmountUnder(runDir); // dockerd leaves exec-root/netns/default, its bind mount of the host's network namespace
        unmountUnder(dataRoot);
        FileTrees.delete(dataRoot);
        FileTrees.delete(runDir);
    }

    /** Unmounts what is still mounted under {@code root} (deepest first): only this daemon mounts there. */
    private static void unmountUnder(Path root) throws IOException, InterruptedException {
        if (!Files.exists(root)) {
            return;
        }
        String prefix = root.toRealPath() + "/";
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(prefix)) {
                mounts.add(mountPoint);
            }
        }
        mounts.sort(Comparator.reverseOrder());
        for (String mountPoint : mounts) {
            Process umount = new ProcessBuilder("umount", mountPoint).inheritIO().start();
            if (umount.waitFor() != 0) {
                throw new AssertionError("cannot unmount " + mountPoint + " (exit " + umount.exitValue() + ")");
            }
        }
    }
}
