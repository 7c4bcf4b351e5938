"""Room voting on the desktop: open a room, show how to join, follow who has joined and submitted.

`RoomController` owns one open room (opassess.room): its server runs on a background thread,
and every submission is queued to this, the GUI's thread, where it goes through the workshop
controller like any other edit, so the library, undo and the wall chart see nothing new.
The dialog shows the QR code, the address to type, the PIN (and in an anonymous workshop the
one-person codes), who has joined and submitted but never what they chose, and what to try when
phones cannot get in.
"""

from __future__ import annotations

import base64
import io
from html import escape

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from opassess.room import (
    NetworkAddress,
    OwnerThread,
    Room,
    network_addresses,
    network_advice,
    recorder,
)
from opassess.room_console import codes_text, progress_line, progress_words
from opassess.room_server import RoomServer
from ui.controller import WorkshopController
from ui.style import DISAGREEMENT_COLOUR, scaled_font


def qr_png(text: str, scale: int = 8) -> bytes:
    """`text` as a QR code PNG, dark on light with the quiet zone scanners need."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


class RoomController(QObject):
    """One workshop's room: open on an address, closed with the workshop, the app, or by hand."""

    opened_changed = Signal(bool)
    progress_changed = Signal()
    _work_waiting = Signal()  # from the server's threads; delivered on this object's thread

    def __init__(self, controller: WorkshopController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._owner = OwnerThread(wake=self._work_waiting.emit)
        self._work_waiting.connect(self._run_waiting, Qt.ConnectionType.QueuedConnection)
        self._draining = False
        self.room: Room | None = None
        self.server: RoomServer | None = None

    @property
    def is_open(self) -> bool:
        return self.server is not None

    def open(self, address: str, port: int = 0) -> None:
        """Start listening on `address`; raises OSError (with the reason) if that cannot be."""
        if self.server is not None:
            self.close()
        controller = self._controller
        room = Room(
            lambda: controller.workshop,
            recorder(self._owner, controller.apply_from_elsewhere),
            on_progress=self.progress_changed.emit,
        )
        server = RoomServer(room, address, port)
        server.start()
        self.room, self.server = room, server
        self.opened_changed.emit(True)
        self.progress_changed.emit()

    def close(self) -> None:
        """Stop the server: nothing listens once the room is closed."""
        if self.server is None:
            return
        server, self.server, self.room = self.server, None, None
        server.stop()
        self._owner.run_pending()  # anything a phone sent as the room closed is not left waiting
        self.opened_changed.emit(False)

    def _run_waiting(self) -> None:
        # One submission per turn of the event loop, each turn started by a zero timer rather
        # than a posted event: Qt runs every posted event in one go, but timers and paints take
        # their turns between timers, so a room of phones sending at once does not hold the
        # screen still until all of them are stored.
        if not self._draining:
            self._draining = True
            QTimer.singleShot(0, self._store_one)

    def _store_one(self) -> None:
        if self._owner.run_pending(limit=1):
            QTimer.singleShot(0, self._store_one)
        else:
            self._draining = False

    def projector_html(self) -> str:
        """How to join, for the projector: the QR code, the address and the PIN."""
        if self.server is None or self.room is None:
            return ""
        png = base64.b64encode(qr_png(self.server.url, scale=10)).decode("ascii")
        # how many have finished is the Rate step's own sentence, beneath this
        return (
            f'<p><img src="data:image/png;base64,{png}"></p>'
            f"<h2>{escape(self.server.url)}</h2>"
            f"<h1>PIN {escape(self.room.pin)}</h1>"
        )


class RoomDialog(QDialog):
    """Open and run the room: choose the network, show how to join, follow progress."""

    def __init__(self, rooms: RoomController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Room: everyone rates from their phone")
        self.rooms = rooms
        self._locked = False
        self.addresses = QComboBox()
        self.addresses.setAccessibleName("Network to open the room on")
        self.open_button = QPushButton("Open the room")
        self.open_button.setDefault(True)
        self.close_button = QPushButton("Close the room")
        self.rating_button = QPushButton("Close rating")
        self.rating_button.setToolTip("No more answers from phones: the team is about to compare.")
        self.free_button = QPushButton("Free the name")
        self.free_button.setToolTip(
            "Someone chose the wrong name, or changed phone: let the name be chosen again. "
            "Answers already sent stay until new ones replace them."
        )
        self.let_in_button = QPushButton("Let locked-out phones in")
        self.let_in_button.setToolTip(
            "A phone that typed a wrong PIN or code too many times waits five minutes: "
            "let it try again now."
        )
        self.new_pin_button = QPushButton("New PIN")
        self.new_pin_button.setToolTip(
            "Give the room a new PIN, for instance if it was seen outside the room. "
            "People already in carry on."
        )
        self.alert = QLabel()
        self.alert.setWordWrap(True)
        self.alert.setObjectName("roomAlert")
        self.alert.setAccessibleName("Room warning")
        self.alert.setStyleSheet(f"color: {DISAGREEMENT_COLOUR}; font-weight: bold")
        self.alert.hide()
        self.lock_note = QLabel(
            "Private rating is under way: the room's controls wait until the facilitator "
            "takes the laptop back. Phones carry on."
        )
        self.lock_note.setWordWrap(True)
        self.lock_note.hide()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("roomProblem")
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address = QLabel()
        self.address.setFont(scaled_font(self.address.font(), 1.5, bold=True))
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin = QLabel()
        self.pin.setFont(scaled_font(self.pin.font(), 2.0, bold=True))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.codes = QLabel()
        self.codes.setWordWrap(True)
        self.codes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.people = QListWidget()
        self.people.setAccessibleName("Who has joined and submitted")
        self.people.setMinimumWidth(300)  # "Name — not joined yet" whole, not cut at the edge
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.advice = QLabel()
        self.advice.setWordWrap(True)

        chooser = QFormLayout()
        pick = QHBoxLayout()
        pick.addWidget(self.addresses, 1)
        pick.addWidget(self.open_button)
        chooser.addRow("Network:", pick)
        joining = QVBoxLayout()
        joining.addWidget(self.qr)
        joining.addWidget(self.address)
        joining.addWidget(self.pin)
        joining.addWidget(self.codes)
        following = QVBoxLayout()
        following.addWidget(self.summary)
        following.addWidget(self.people, 1)
        following.addWidget(self.free_button)
        following.addWidget(self.let_in_button)
        middle = QHBoxLayout()
        middle.addLayout(joining, 3)
        middle.addLayout(following, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.new_pin_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.rating_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(chooser)
        layout.addWidget(self.problem)
        layout.addWidget(self.lock_note)
        layout.addWidget(self.alert)
        layout.addLayout(middle, 1)
        layout.addWidget(self.advice)
        layout.addWidget(buttons)
        self.resize(820, 640)

        self.open_button.clicked.connect(self.open_room)
        self.close_button.clicked.connect(rooms.close)
        self.rating_button.clicked.connect(self._toggle_rating)
        self.free_button.clicked.connect(self.free_selected_name)
        self.let_in_button.clicked.connect(self.let_locked_out_phones_in)
        self.new_pin_button.clicked.connect(self.give_new_pin)
        self.people.currentRowChanged.connect(lambda _row: self._update_free_button())
        rooms.opened_changed.connect(lambda _open: self.show_state())
        rooms.progress_changed.connect(self.show_progress)
        self.fill_addresses(network_addresses())
        self.show_state()

    def set_locked(self, locked: bool) -> None:
        """While the laptop goes round for private rating, the room runs on (phones keep
        sending) but its controls wait for the facilitator: nobody at the laptop may sign a
        colleague's phone out, change the PIN or close rating."""
        self._locked = locked
        self.show_state()

    def fill_addresses(self, addresses: list[NetworkAddress]) -> None:
        self.addresses.clear()
        for item in addresses:
            where = "this laptop only, for a trial" if item.is_loopback else item.interface
            self.addresses.addItem(f"{item.address}  ({where})", item.address)

    def open_room(self) -> None:
        address = self.addresses.currentData()
        if not address:
            return
        try:
            self.rooms.open(address)
        except OSError as exc:
            self.problem.setText(
                f"The room could not open on {address}: {exc.strerror or exc}. "
                "Choose another network, or turn on this laptop's hotspot and choose it."
            )
            return
        self.problem.clear()

    def free_selected_name(self) -> None:
        if self._locked:
            return
        item = self.people.currentItem()
        room = self.rooms.room
        if item is None or room is None:
            return
        room.release(item.data(Qt.ItemDataRole.UserRole))

    def let_locked_out_phones_in(self) -> None:
        if self._locked:
            return
        room = self.rooms.room
        if room is not None:
            room.let_everyone_try_again()

    def give_new_pin(self) -> None:
        if self._locked:
            return
        room = self.rooms.room
        if room is not None:
            room.change_pin()
            room.dismiss_alert()
            self.show_state()

    def _update_free_button(self) -> None:
        item = self.people.currentItem()
        self.free_button.setEnabled(
            not self._locked and item is not None and bool(item.data(Qt.ItemDataRole.UserRole + 1))
        )

    def _toggle_rating(self) -> None:
        if self._locked:
            return
        room = self.rooms.room
        if room is None:
            return
        if room.rating_open:
            room.close_rating()
        else:
            room.reopen_rating()
        self.show_state()

    def show_state(self) -> None:
        opened = self.rooms.is_open
        free = not self._locked
        self.addresses.setEnabled(not opened and free)
        self.open_button.setEnabled(not opened and free)
        self.close_button.setEnabled(opened and free)
        self.rating_button.setEnabled(opened and free)
        self.new_pin_button.setEnabled(opened and free)
        self.people.setEnabled(free)
        self.lock_note.setVisible(self._locked)
        for widget in (self.qr, self.address, self.pin):
            widget.setVisible(opened)
        server, room = self.rooms.server, self.rooms.room
        if server is None or room is None:
            self.codes.setText("Choose the network the phones are on, then open the room.")
            self.advice.setText("")
            self.people.clear()
            self.summary.setText("")
            self.alert.clear()
            self.let_in_button.setEnabled(False)
            return
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(server.url))
        self.qr.setPixmap(pixmap)
        self.address.setText(server.url)
        self.pin.setText(f"PIN {room.pin}")
        if room.anonymous:
            self.codes.setText(
                "Names stay private in this workshop: hand each person one code.\n"
                + codes_text(room)
            )
        else:
            self.codes.setText(
                "Each person scans the code or types the address, then picks their name."
            )
        self.rating_button.setText("Close rating" if room.rating_open else "Reopen rating")
        tips = network_advice(str(server.server_address[0]))
        self.advice.setText("If phones cannot get in:\n" + "\n".join(f"• {t}" for t in tips))
        self.show_progress()

    def show_progress(self) -> None:
        room = self.rooms.room
        if room is None:
            return
        progress = room.progress()
        row = self.people.currentRow()
        self.people.clear()
        for person in progress:
            item = QListWidgetItem(f"{person.name} — {progress_words(person)}")
            item.setData(Qt.ItemDataRole.UserRole, person.participant_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, person.joined)
            self.people.addItem(item)
        self.people.setCurrentRow(min(row, self.people.count() - 1))
        self._update_free_button()
        self.summary.setText(progress_line(room))
        waiting = room.locked_out() > 0 or room.joining_paused()
        self.let_in_button.setEnabled(waiting and not self._locked)
        # the PIN may have changed after many wrong tries: show the one that works now
        self.pin.setText(f"PIN {room.pin}")
        self.alert.setText(room.alert)
        self.alert.setVisible(bool(room.alert))
