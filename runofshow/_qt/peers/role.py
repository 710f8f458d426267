"""This laptop's part in a show run on several: the primary, or a follower; and the changes
between the two (a takeover, a primary that comes back and follows).

- **Primary** (any runofshow that serves): its ``PeerHub`` welcomes followers on its server. If
  it knows the show's other laptops (``peers.json``: it had followers before a crash), it asks
  them every ``PROBE_MS`` where they stand (``/api/peer``); one that is primary in a later
  term of the same show has taken over, and this laptop follows it (``demote``): what it had
  journaled that the new primary never got is set aside, not merged.
- **Follower** (``--join``): its ``Follower`` keeps the copy and sends the commands.
- **Taking over** (``take_over``, the ``takeover`` row of the command table, with a question
  in the window): only a follower whose primary is silent may; it becomes the primary from its
  last copied action, in a new term, on the same clock (frozen at the last measurement: the
  countdown does not jump), serves (on the primary's port if it did not serve), and the show's
  other laptops and browser views find it among the addresses they were told.

The role also answers the network's questions for the host: where this laptop stands
(``status``), the show's addresses (``urls``, for the browser views), and what a command's
answer waits for (``confirmation``).
"""

from __future__ import annotations

import json
import logging
import math
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtNetwork import (
    QHostInfo,
    QNetworkAccessManager,
    QNetworkProxy,
    QNetworkReply,
    QNetworkRequest,
)

from runofshow import __version__
from runofshow._qt.network.routes import Pending
from runofshow.core.commands import Outcome
from runofshow.core.journal import JournalEntry, ShowRecord, ShowStore
from runofshow.core.peer_files import (
    KnownPeers,
    Peer,
    load_known_peers,
    peer_id,
    save_known_peers,
)
from runofshow.core.replica import PeerProtocolError, Term, term_of

if TYPE_CHECKING:
    from runofshow._qt.app.host import ShowHost
    from runofshow._qt.network.control import NetworkControl
    from runofshow._qt.peers.discovery import Advertiser
    from runofshow._qt.peers.follower import Follower
    from runofshow._qt.peers.hub import PeerHub
    from runofshow.core.engine import ShowEngine

logger = logging.getLogger(__name__)

PRIMARY = "primary"
FOLLOWER = "follower"
PROBE_MS = 2000
MAX_MEDIA_S = 24 * 3600
MAX_STATUS_BYTES = 64 * 1024  # an answer to /api/peer is a few hundred bytes


class PeerRole(QObject):
    """``host``'s laptop in a shared show; ``folder`` is its state folder."""

    changed = Signal()  # primary/follower, connected or not: windows redraw their badges

    def __init__(
        self,
        host: ShowHost,
        folder: Path,
        pin: Callable[[], str],
        network: Callable[[], NetworkControl],
        *,
        media_dir: Path | None = None,
        video_desk: bool = False,
        name: str | None = None,
    ) -> None:
        super().__init__(host)
        self.host = host
        self.folder = folder
        self._pin = pin
        self._network = network
        self.media_dir = media_dir
        self.video_desk = video_desk
        self.id = peer_id(folder)
        self.name = name or QHostInfo.localHostName() or f"runofshow-{self.id[:4]}"
        self.mode = PRIMARY
        self.hub: PeerHub | None = None
        self.follower: Follower | None = None
        self.store: ShowStore | None = None
        self.show_id: int | None = None
        self.known: KnownPeers | None = load_known_peers(folder)
        self._memory_uid = secrets.token_hex(8)  # for a show that cannot be written
        self._manager: QNetworkAccessManager | None = None
        self._advertised: Advertiser | None = None
        self.prober = QTimer(self)
        self.prober.setInterval(PROBE_MS)
        self.prober.timeout.connect(self.probe)
        host.peer_command = self.command
        host.confirmation = self.confirmation
        host.peer_status = self.status
        host.peer_urls = self.urls
        host.peer_badge = self.badge
        self.changed.connect(host.peer_changed)
        host.show_replaced.connect(self._show_replaced)
        if host.has_show:
            self._show_replaced(host.engine)

    # -- who and where -------------------------------------------------------------------
    @property
    def pin(self) -> str:
        return self._pin()

    @property
    def is_primary(self) -> bool:
        return self.mode == PRIMARY

    def url(self) -> str | None:
        network = self._network()
        if not network.listening:
            return None
        return network.url("").rstrip("/") or None

    def me(self) -> Peer:
        return Peer(self.id, self.name, self.url())

    def known_urls(self) -> list[str]:
        """The other laptops of this show as last heard of (none of another show's)."""
        known = self.known
        if known is None or known.show != self._uid():
            return []
        mine = self.url()
        return [u for u in known.urls(except_id=self.id) if u != mine]

    def urls(self) -> list[str]:
        """Every laptop's address the browser views may reconnect to, this one first."""
        mine = self.url()
        return list(dict.fromkeys([*([mine] if mine else []), *self.known_urls()]))

    def remember_peers(self, peers: tuple[Peer, ...] | list[Peer]) -> None:
        """The show's laptops as just heard of, merged with those known before (one that
        left may come back), kept in the state folder."""
        uid = self._uid()
        if uid is None:
            return
        known = (self.known or KnownPeers(uid, ())).merged(uid, peers)
        if known != self.known:
            self.known = known
            save_known_peers(self.folder, known)

    def _uid(self) -> str | None:
        if self.follower is not None:
            catching = self.follower.record
            return None if catching is None else catching.uid
        if self.store is not None and self.show_id is not None:
            record = self.store.show(self.show_id)
            return None if record is None else record.uid
        return self._memory_uid if self.host.has_show else None

    # -- the show shared -----------------------------------------------------------------
    def engine(self) -> ShowEngine:
        return self.host.engine

    def shared_record(self) -> ShowRecord:
        """This laptop's show as followers copy it (given a uid when first shared)."""
        if self.store is not None and self.show_id is not None:
            return self.store.identify(self.show_id, self.id)
        engine = self.host.engine
        anchor = getattr(engine.clock, "anchor", None)
        return ShowRecord(
            id=0, agenda_path=str(engine.agenda.path), agenda_sha256=None,
            show_date=engine.show_date, mode=engine.mode, created_wall=engine.opened_wall
            if math.isfinite(engine.opened_wall) else engine.now().wall, ended_wall=None,
            anchor=anchor, segment_ids=tuple(s.id for s in engine.agenda.segments),
            uid=self._memory_uid, term=0, term_owner=self.id,
        )  # fmt: skip

    def entries(self) -> list[JournalEntry]:
        """The primary's journal as its followers copy it (from disk, with terms)."""
        if self.store is not None and self.show_id is not None:
            return self.store.journal(self.show_id).entries()
        return [JournalEntry(a) for a in self.host.engine.journal.actions()]

    def journal_term(self) -> int:
        return self.host.engine.journal.term

    def term(self) -> Term:
        return term_of(self.shared_record())

    def _show_replaced(self, engine: ShowEngine) -> None:
        """A show opened here (as primary), or a follower's copy built."""
        session = self.host.session
        if self.mode == PRIMARY:
            store = getattr(session, "store", None)
            self.store = store if isinstance(store, ShowStore) else None
            self.show_id = getattr(session, "show_id", None)
            if self.hub is not None:
                self.hub.attach(engine)
            self._start_probing()

    # -- serving as primary --------------------------------------------------------------
    def serving(self) -> None:
        """The show network is on: a primary welcomes followers on it."""
        network = self._network()
        if self.mode != PRIMARY or network.server is None or not network.listening:
            return
        if self.hub is None or self.hub.server is not network.server:
            from runofshow._qt.peers.hub import PeerHub

            self.hub = PeerHub(self, network.server)
            self.hub.changed.connect(self._hub_changed)
            if self.host.has_show:
                self.hub.attach(self.host.engine)
        self._advertise(network)
        self._start_probing()
        self.changed.emit()

    def _advertise(self, network: NetworkControl) -> None:
        """A primary serving on the LAN says so over mDNS, so followers find it by name
        (``--join`` without an address); on 127.0.0.1 only there is nobody to tell."""
        address = network.server.address if network.server is not None else None
        if address is None or address.host in ("127.0.0.1", "::1") or not self.host.has_show:
            return
        if self._advertised is not None and self._advertised.port == address.port:
            return
        self._stop_advertising()
        from runofshow._qt.peers.discovery import Advertiser, lan_addresses

        hosts = lan_addresses() if address.host in ("0.0.0.0", "::") else [address.host]
        if not hosts:
            return
        record = self.shared_record()
        self._advertised = Advertiser(address.port, hosts, {
            "name": self.name, "title": self.host.engine.agenda.event.title,
            "uid": record.uid or "", "term": str(record.term), "role": PRIMARY,
            "version": __version__,
        })  # fmt: skip

    def _stop_advertising(self) -> None:
        if self._advertised is not None:
            self._advertised.close()
            self._advertised = None

    def _hub_changed(self) -> None:
        if self.hub is not None:
            self.remember_peers(self.hub.peers())
            desks = self.hub.video_desks()
            if desks != self.host.video_desks:
                self.host.video_desks = desks
                self.host.video_desks_changed.emit(desks)
        self.changed.emit()

    def confirmation(self, outcome: Outcome, answer: dict[str, Any]) -> Pending[Any] | None:
        """What a command's answer to the network waits for: a primary's, its followers'
        copies of the row; a follower's, the primary's own answer."""
        if outcome.sent and isinstance(outcome.ticket, Pending):
            return outcome.ticket
        if self.hub is None or not outcome.applied or not self.host.has_show:
            return None
        target = len(self.host.engine.actions)
        waited: Pending[dict[str, Any]] = Pending()
        self.hub.after_replicated(target).then(lambda _none: waited.resolve(answer))
        return waited

    def media_from_peer(self, args: Mapping[str, object]) -> None:
        """The video desk's player found a video's real length: journaled here, so the
        primary's countdown follows the playback there."""
        length, index = args.get("length_s"), args.get("index")
        engine = self.host.engine
        numbers_ok = isinstance(length, int | float) and not isinstance(length, bool)
        if not numbers_ok or not 0 <= float(length) <= MAX_MEDIA_S:  # type: ignore[arg-type]
            raise PeerProtocolError("a video's length must be seconds within a day")
        if index is not None and (
            not isinstance(index, int) or not 0 <= index < len(engine.agenda.segments)
        ):
            raise PeerProtocolError("a video's segment must be one of the agenda's")
        with engine.commanded_by("peer"):
            engine.set_media_length(float(length), index)  # type: ignore[arg-type]
        if self.host.controller is not None:
            self.host.controller.refresh()

    def keep_aside(self, entries: list[JournalEntry], wall: float, found_on: str) -> None:
        """Rows another laptop set aside after this one took over: kept for the report."""
        if self.store is None or self.show_id is None or not entries:
            return
        added = self.store.add_set_aside(self.show_id, entries, wall, found_on)
        if added:
            self.announce_set_aside(added, wall, found_on)

    def announce_set_aside(self, count: int, wall: float, found_on: str | None = None) -> None:
        when = self.host.engine.local_time(wall) if self.host.has_show else None
        time_text = f"{when:%H:%M:%S}" if when is not None else "-"
        self.say("peer.aside", self.words("peer.set_aside", count=count, time=time_text,
                                       where=found_on or self.name))  # fmt: skip

    # -- a primary that comes back -------------------------------------------------------
    def _start_probing(self) -> None:
        if self.mode == PRIMARY and self.known_urls() and not self.prober.isActive():
            self.prober.start()
            QTimer.singleShot(0, self, self.probe)

    def heard_of_later_term(self, term: Term) -> None:
        """A follower claims a later term of this show: someone took over; look now."""
        logger.warning("a peer knows term %d of this show (this laptop: %d): looking for it",
                       term.number, self.term().number)  # fmt: skip
        self.probe()

    def probe(self) -> None:
        """Ask the show's other laptops where they stand (``/api/peer``)."""
        if self.mode != PRIMARY or not self.host.has_show:
            self.prober.stop()
            return
        for url in self.known_urls():
            self._ask(url)

    def _ask(self, url: str) -> None:
        self.fetch_status(url, lambda status, _why: self._answered(url, status))

    def fetch_status(self, url: str, done: Callable[[dict[str, Any] | None, str], None]) -> None:
        """Ask the laptop at ``url`` where it stands (``/api/peer``, with the PIN); ``done``
        gets its answer, or None and why not in the server's own words ("wrong PIN", "too
        many wrong PINs from …: wait 8 s") or the network's ("connection refused")."""
        if self._manager is None:
            self._manager = QNetworkAccessManager(self)
            self._manager.setProxy(QNetworkProxy(QNetworkProxy.ProxyType.NoProxy))
        request = QNetworkRequest(QUrl(f"{url}/api/peer"))
        request.setRawHeader(b"Authorization", f"Bearer {self.pin}".encode())
        request.setTransferTimeout(PROBE_MS)
        reply = self._manager.get(request)
        reply.setReadBufferSize(MAX_STATUS_BYTES + 1)  # read no further than can be taken

        def progress(received: int, total: int) -> None:
            if max(received, total) > MAX_STATUS_BYTES and not reply.property("too_large"):
                reply.setProperty("too_large", True)
                reply.abort()

        reply.downloadProgress.connect(progress)
        reply.finished.connect(lambda: done(*_status_of(reply)))

    def _answered(self, url: str, status: dict[str, Any] | None) -> None:
        if status is None or self.mode != PRIMARY or status.get("show") != self._uid():
            return
        number, owner = status.get("term"), status.get("owner")
        if status.get("role") != PRIMARY or not isinstance(number, int):
            return
        theirs = Term(number, str(owner or ""))
        if theirs.outranks(self.term()):
            self.demote(url, theirs, str(status.get("name") or url))

    def demote(self, url: str, term: Term, name: str) -> None:
        """Another laptop is primary in a later term of this show: follow it. What this
        laptop journaled that it never got is set aside when the copies are compared."""
        from runofshow._qt.peers.follower import Follower

        if self.mode != PRIMARY:
            return
        try:
            store = self.store or ShowStore(self.folder)
        except OSError as error:  # a show NOT SAVED here cannot be copied here either
            logger.error("cannot follow %s: the state folder cannot be written: %s", name, error)
            self.say("peer", self.words("peer.broken", reason=str(error)))
            return
        logger.warning("%s is primary in term %d: this laptop follows it", name, term.number)
        self.prober.stop()
        self._stop_advertising()
        if self.hub is not None:
            for attached in list(self.hub.followers.values()):
                attached.client.send({"kind": "moved", "primary": url})
            self.hub.drop_all("another laptop took over the show")
            self.hub.close()
            self.hub = None
        follower = Follower(self, store, [url])
        follower.record = store.show(self.show_id) if self.show_id is not None else None
        self._become_follower(follower)
        self.say("peer.role", self.words("peer.demoted", name=name, term=term.number))

    # -- following -----------------------------------------------------------------------
    def follow(self, url: str, store: ShowStore) -> None:
        """``--join``: follow the show at ``url``, with this state folder's copy of it."""
        from runofshow._qt.peers.follower import Follower

        follower = Follower(self, store, [url])
        known = self.known
        if known is not None:
            follower.record = store.find_uid(known.show)
        self._become_follower(follower)
        self.say("peer", self.words("peer.joining", url=url))

    def _become_follower(self, follower: Follower) -> None:
        self.mode = FOLLOWER
        self.follower = follower
        self.store = follower.store
        host = self.host
        host.following = True
        host.relay = follower.relay
        if host.has_show:  # a primary turned follower: nothing more is journaled here
            host.engine.forward = follower.forward_action
            host.check_consent(host.engine.agenda)  # nor run: nothing left to ask
        follower.start()
        self.changed.emit()

    def follower_changed(self) -> None:
        """Connected, caught up, or lost: what the windows say about it."""
        follower = self.follower
        if follower is None:
            return
        if follower.connected:
            self.host.clear_notice("peer")
        elif follower.lost_since is not None and self.host.has_show:
            since = self.host.engine.local_time(follower.lost_since)
            self.say(
                "peer", self.words("peer.lost", name=self.primary_name(), since=f"{since:%H:%M:%S}")
            )
        if follower.record is not None:
            self.show_id = follower.record.id
        self.changed.emit()

    def followed_agenda_digest(self) -> str | None:
        """The first 12 hex digits of the agenda's SHA-256 as the MC's laptop read it when
        the show began (a dash if it could not), for the run sheet's footer on a follower:
        the file at that path here may be another one, or none. None when this laptop runs
        the show (its own file is read)."""
        if self.follower is None:
            return None
        record = self.follower.record
        sha = record.agenda_sha256 if record is not None else None
        return sha[:12] if sha else "-"

    def primary_name(self) -> str:
        follower = self.follower
        if follower is not None and follower.primary is not None:
            return follower.primary.name
        if follower is not None and follower.link is not None:
            return urlsplit(follower.link.url).netloc or follower.link.url
        return self.words("peer.the_primary")

    # -- taking over ---------------------------------------------------------------------
    def command(self, name: str, _args: Mapping[str, object], source: str) -> Outcome:
        if name != "takeover":
            return Outcome(name, False, f"{name} is not a command of this laptop's part")
        return self.take_over(source)

    def take_over(self, source: str = "menu") -> Outcome:
        """Become the primary from the last copied action, in a new term (refused, in
        words, unless this is a follower whose primary is silent)."""
        follower = self.follower
        if self.mode == PRIMARY or follower is None:
            return Outcome("takeover", False, self.words("peer.already_primary"))
        engine, record = follower.engine, follower.record
        if engine is None or record is None or not self.host.has_show:
            return Outcome("takeover", False, self.words("peer.no_show"))
        if follower.connected:
            why = self.words("peer.still_connected", name=self.primary_name())
            return Outcome("takeover", False, why)
        store = follower.store
        term = term_of(record).after(self.id)
        wall = engine.now().wall
        old_primary = follower.primary_url()
        follower.stop()
        if follower.clock is not None:
            follower.clock.freeze()
        store.set_term(record.id, term.number, self.id, wall, replica=False)
        engine.journal.term = term.number
        engine.forward = None
        self.follower = None
        follower.deleteLater()
        self.mode = PRIMARY
        self.store, self.show_id = store, record.id
        host = self.host
        host.following = False
        host.relay = None
        host.check_consent(engine.agenda)  # its cue commands run here now: with a yes here
        self._serve_after_takeover(old_primary)
        self.serving()
        when = f"{engine.local_time(wall):%H:%M:%S}"
        logger.warning("this laptop took over the show at %s (term %d, from %s)", when,
                       term.number, source)  # fmt: skip
        self.say("peer", self.words("peer.took_over", time=when, term=term.number,
                                 url=self.url() or "-"))  # fmt: skip
        self.changed.emit()
        return Outcome("takeover", True, None)

    def _serve_after_takeover(self, old_primary: str | None) -> None:
        """A follower that did not serve starts to, where the primary did (its port, on the
        LAN if the primary was on it): the clicker and Companion need only a new address."""
        network = self._network()
        if network.listening:
            return
        from runofshow._qt.network.address import ServeAddress

        parts = urlsplit(old_primary or "")
        loopback = parts.hostname in (None, "127.0.0.1", "::1", "localhost")
        host = "127.0.0.1" if loopback else "0.0.0.0"
        if not network.start(ServeAddress(host, parts.port or 0)):
            network.start(ServeAddress(host, 0))

    # -- for the network and the windows -------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Where this laptop stands (``/api/peer``)."""
        follower = self.follower
        record = follower.record if follower is not None else None
        if record is None and self.mode == PRIMARY and self.host.has_show:
            record = self.shared_record()
        return {
            "role": self.mode,
            "id": self.id,
            "name": self.name,
            "show": None if record is None else record.uid,
            "term": 0 if record is None else record.term,
            "owner": "" if record is None else record.term_owner,
            "primary": self.url() if self.mode == PRIMARY else
            (follower.primary_url() if follower is not None else None),
            "connected": self.mode == PRIMARY or (follower is not None and follower.connected),
            "rows": len(self.host.engine.actions) if self.host.has_show else 0,
            "peers": self.urls(),
            "notice": self.host.notices.get("peer"),
        }  # fmt: skip

    def badge(self) -> str:
        """What the windows' badge row says of this laptop's part ('' for a lone primary)."""
        if self.mode == FOLLOWER:
            follower = self.follower
            if follower is not None and follower.connected:
                return self.words("badge.following", name=self.primary_name())
            return self.words("badge.offline")
        if self.hub is not None and self.hub.followers:
            return self.words("badge.primary", count=len(self.hub.followers))
        return ""

    def say(self, kind: str, text: str, *, brief: bool = False) -> None:
        if brief:
            self.host.brief_notice(kind, text)
        else:
            self.host.post_notice(kind, text)

    def words(self, key: str, **values: object) -> str:
        return self.host.tr_(key, **values)

    def close(self) -> None:
        self.prober.stop()
        self._stop_advertising()
        if self.follower is not None:
            self.follower.stop()
        if self.hub is not None:
            self.hub.close()


def _status_of(reply: QNetworkReply) -> tuple[dict[str, Any] | None, str]:
    """A ``/api/peer`` answer, or None and why not."""
    reply.deleteLater()
    if reply.property("too_large"):
        why = f"its answer to /api/peer is larger than {MAX_STATUS_BYTES // 1024} kB"
        logger.warning("%s: %s", reply.url().toString(), why)
        return None, why
    body = bytes(reply.readAll().data())
    try:
        data = json.loads(body) if body else None
    except (ValueError, RecursionError):  # RecursionError: absurdly nested
        data = None
    if reply.error() == QNetworkReply.NetworkError.NoError and isinstance(data, dict):
        return data, ""
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return None, f"{data['error']} ({data.get('status', '?')})"
    return None, reply.errorString()
