# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IVS Chat Messaging API (the WebSocket endpoint chat clients connect to), served by the emulator."""
