; A delivery world written in mixed case, with comments everywhere: a type
; hierarchy, an (either ...) type, objects of a supertype, constants of the
; domain named in the problem, and objects named like types and predicates.
(define (domain Hier-Delivery) ; a comment after the name
  (:requirements :typing :equality :negative-preconditions)
  (:types
    vehicle place - object
    truck plane - vehicle
    city airport - place ; airport is a place
    parcel letter - cargo
    cargo)               ; cargo is used above before it is declared
  (:constants Depot - city HQ - airport)
  (:predicates
    (AT ?x - (either vehicle cargo) ?p - place)
    (in ?c - cargo ?v - vehicle)
    (link ?a ?b - place)
    (truck ?t - truck)) ; a predicate named like a type
  (:action DRIVE
    :parameters (?t - truck ?from ?to - place)
    :precondition (and (at ?t ?from) (Link ?from ?to) (not (= ?from ?to)))
    :effect (and (not (at ?t ?from)) (at ?t ?to)))
  (:action Fly
    :parameters (?p - plane ?from ?to - airport)
    :precondition (and (at ?p ?from) (not (= ?from ?to)))
    :effect (and (not (AT ?p ?from)) (at ?p ?to)))
  (:action load
    :parameters (?c - cargo ?v - vehicle ?p - place)
    :precondition (and (at ?c ?p) (at ?v ?p))
    :effect (and (not (at ?c ?p)) (in ?c ?v)))
  (:action unload
    :parameters (?c - cargo ?v - vehicle ?p - place)
    :precondition (and (in ?c ?v) (at ?v ?p))
    :effect (and (not (in ?c ?v)) (at ?c ?p))))
