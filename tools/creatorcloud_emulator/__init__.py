# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The embedded AWS: moto in server mode on loopback, with CreatorCloud's additions."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566
