package dev.gatehouse.gateway.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Sits on a listening socket's pipeline, in front of Netty's acceptor: every accepted connection
 * is checked against the per-address cap and given its {@link ConnectionGuard} (first, ahead of
 * TLS and the HTTP decoder) and a {@link DecoderSwap}, before Vert.x builds its HTTP pipeline.
 */
@ChannelHandler.Sharable
final class AcceptHook extends ChannelInboundHandlerAdapter {
    static final String NAME = "gatehouseAcceptHook";
    /** The label of {@code gatehouse_connections_closed_total} for a connection over the cap. */
    static final String TOO_MANY = "too-many-connections";

    private final ConnectionsPerAddress perAddress;
    private final Supplier<ConnectionGuard> guards;
    private final StrictDecoders decoders;
    private final Runnable onRefused;

    /**
     * @param onRefused told each time a connection is refused for the per-address cap
     */
    AcceptHook(ConnectionsPerAddress perAddress, Supplier<ConnectionGuard> guards, StrictDecoders decoders,
               Runnable onRefused) {
        this.perAddress = perAddress;
        this.guards = guards;
        this.decoders = decoders;
        this.onRefused = onRefused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            InetAddress peer = child.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
            if (peer != null && !perAddress.tryOpen(peer)) {
                onRefused.run();
                // not registered with an event loop yet: closed as Netty's acceptor closes a child it cannot set up
                child.unsafe().closeForcibly();
                return;
            }
            if (peer != null && perAddress.enabled()) {
                child.closeFuture().addListener(f -> perAddress.closed(peer));
            }
            ConnectionGuard guard = guards.get();
            child.attr(ConnectionGuard.KEY).set(guard);
            child.pipeline().addFirst(ConnectionGuard.NAME, guard);
            if (decoders.ready()) {
                child.pipeline().addAfter(ConnectionGuard.NAME, DecoderSwap.NAME,
                        new DecoderSwap(decoders::newDecoder));
            }
        }
        ctx.fireChannelRead(msg);
    }
}
