"""Two machines, one show (docs/two-machines.md): a second runofshow follows the first's show
as a full peer, and takes over if the first dies.

``role.PeerRole`` is this laptop's part (primary or follower) and the changes between them
(a takeover, a primary that comes back and follows); ``hub.PeerHub`` is a primary's side,
serving its journal to followers on its own server's ``/ws``; ``follower.Follower`` a
follower's, keeping its own durable copy and sending its commands to the primary;
``link.PeerLink`` one follower's connection, with the clock exchange and the proof of life;
``discovery`` finds shows on the LAN (mDNS/DNS-SD). What both sides must agree on, and
everything that can be written without sockets, is in the core: ``core.replica``,
``core.peer_clock``, ``core.peer_files``. Nothing here is imported unless a show is shared.
"""
